"""Deal pages: the card, the full form, quick create, edit and «Изменить статус»."""
from flask import Blueprint

bp = Blueprint("deals", __name__)

from web.deals import routes, timeline  # noqa: E402,F401
