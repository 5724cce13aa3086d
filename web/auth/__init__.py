"""Logging in and out, and choosing the language."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from web.auth import routes  # noqa: E402,F401
