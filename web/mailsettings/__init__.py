"""The admin's mail intake page: mailbox URL, labels, subject rules, loop guard, the connection check, failures."""
from flask import Blueprint

bp = Blueprint("mailsettings", __name__, url_prefix="/admin/mail")

from web.mailsettings import routes  # noqa: E402,F401
