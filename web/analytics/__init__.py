"""The «Аналитика» page: the figures of processes.analytics as charts, tables, journal links and exports."""
from flask import Blueprint

bp = Blueprint("analytics", __name__, url_prefix="/analytics")

from web.analytics import routes  # noqa: E402,F401
