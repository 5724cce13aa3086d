"""Field messages the domain raises in English, marked here so the catalog translates them.

Templates show a field's error as ``_(message)``: a message listed here reads in
the user's language, any other one (with values in it) stays as the domain wrote it.
"""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

MESSAGES = (
    _l("required"),
    _l("unknown field"),
    _l("not an e-mail address"),
    _l("a phone number: digits, spaces, + - ( )"),
    _l("budget must be a number"),
    _l("budget must not be negative"),
    _l("budget is too large"),
    _l("give a company or a name"),
    _l("a date and time like 2026-11-28 or 2026-11-28T14:30"),
    _l("not a valid INN (10 or 12 digits with a correct checksum)"),
    _l("KPP is 9 characters: 4 digits, 2 digits or letters, 3 digits"),
    _l("required: the status to move the deal to"),
    _l("the responsible must be a manager"),
    _l("too many files"),
    _l("larger than the limit"),
    _l("required when sending is on"),
    _l("a port number from 1 to 65535"),
    _l("one line"),
    _l("a reason is required for this status"),
    _l("the due date has already passed"),
    _l("ids must be integers"),
    _l("a counterparty with this INN exists"),
    _l("a source with this name exists"),
    _l("pick the counterparty from the list, or add a new one with «New counterparty»"),
    _l("pick the contact from the list, or add a new one with «New contact»"),
    _l("no such counterparty"),
    _l("a counterparty with a similar name exists"),
    _l("a contact with the same e-mail or a similar name exists"),
    _l("page and per_page are integers"),
    _l("a whole number from 1 to 2147483647"),
    _l("a date between the years 1900 and 9999"),
    _l("must not contain NUL characters"),
    _l("one of: call, meeting, email, task"),
    _l("the activity is done already"),
    _l("tick the deals to act on"),
)


# The engine's reasons for a script stopped by its budget (engine.errors.ScriptLimitExceeded), wherever they
# appear in a stored failure reason or an error message.
_LIMITS = (
    (re.compile(r"script time limit exceeded \(([\d.]+) s\)"),
     lambda m: _("script time limit exceeded (%(seconds)s s)", seconds=m.group(1))),
    (re.compile(r"script memory limit exceeded \(([\d.]+) MB\)"),
     lambda m: _("script memory limit exceeded (%(megabytes)s MB)", megabytes=m.group(1))),
)


def reason_text(text):
    """A failure reason or error message with the engine's script-limit reasons in the user's language."""
    if not text or "limit exceeded" not in text:
        return text
    for pattern, translate in _LIMITS:
        text = pattern.sub(lambda m: str(translate(m)), text)
    return text
