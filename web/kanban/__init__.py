"""The kanban board's lazy column pages (the board itself renders at the journal's URL)."""
from flask import Blueprint

bp = Blueprint("kanban", __name__)

from web.kanban import routes  # noqa: E402,F401
