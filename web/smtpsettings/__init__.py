"""The admin's outgoing mail page: the SMTP settings the outbox is sent with, and a test letter."""
from flask import Blueprint

bp = Blueprint("smtpsettings", __name__, url_prefix="/admin/smtp")

from web.smtpsettings import routes  # noqa: E402,F401
