"""The deals journal (and, with viewMode=kanban, the board) at the spec's URL."""
from flask import Blueprint

bp = Blueprint("journal", __name__)

from web.journal import bulk, routes  # noqa: E402,F401
