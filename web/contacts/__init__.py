"""Contacts and counterparties for everyone who works deals: the directory, the counterparty card, and the
JSON the deal form's dialogs post to (session and CSRF token, as every page's script)."""
from flask import Blueprint

bp = Blueprint("contacts", __name__)

from web.contacts import routes  # noqa: E402,F401
