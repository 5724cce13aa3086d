"""Directories for admins: counterparties and sources of requests."""
from flask import Blueprint

bp = Blueprint("directories", __name__, url_prefix="/directories")

from web.directories import routes  # noqa: E402,F401
