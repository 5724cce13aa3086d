"""Validation of a deal's fields: clear messages per field, typed values out."""
import re
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from engine.db import db
from processes.errors import ValidationError
from processes.contact_models import Contact
from processes.models import DEAL_ROLES, Counterparty, Source, User

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[\d\s\-()]{5,25}$")
MAX_BUDGET = Decimal("9999999999999999.99")
MAX_ID = 2**31 - 1  # PostgreSQL's integer: every id, number and version column
ID_RANGE = "a whole number from 1 to 2147483647"  # MAX_ID, written out for the translations
YEARS = (1900, 9999)  # Python's datetime ends at 9999; nothing of a CRM happened before 1900
DATE_RANGE = "a date between the years 1900 and 9999"
TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off", "")
NUL = "\x00"
NO_NUL = "must not contain NUL characters"

TEXT_FIELDS = {  # field -> max length (None: unlimited)
    "name": 300, "company": 300, "description": None, "contact_name": 300, "phone": 50,
    "sender_email": 300, "site_email": 300, "site_referrer": 1000, "ga_client_id": 100,
    "ym_client_id": 100, "mail_message": None,
}
EDITABLE = tuple(TEXT_FIELDS) + ("budget", "counterparty_id", "source_id", "responsible_id", "created_at",
                                 "contact_id", "expected_close")


def parse_bool(value, default=False):
    """True for 1/true/yes/on, False for 0/false/no/off or nothing (any case, spaces around); else ``default``.

    The one reading of a yes/no everywhere: query strings, settings, diagram properties, the mailbox URL.
    """
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    return True if text in TRUE else False if text in FALSE else default


def parse_budget(value):
    if value is None or value == "":
        return None
    try:
        budget = Decimal(str(value).replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except InvalidOperation:
        raise ValueError("budget must be a number") from None
    if not budget.is_finite():
        raise ValueError("budget must be a number")
    if budget < 0:
        raise ValueError("budget must not be negative")
    if budget > MAX_BUDGET:
        raise ValueError("budget is too large")
    return budget.quantize(Decimal("0.01"))


def parse_id(value):
    """An id, number or version from any face (a path, a body, a filter, a CLI argument) as an int.

    ValueError unless it is a whole number from 1 to MAX_ID: larger ones overflow PostgreSQL's
    integer (and SQLite's 64 bits) in the query instead of meaning "no such row".
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(ID_RANGE)
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(ID_RANGE)
    text = str(int(value)) if isinstance(value, (int, float)) else str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)) or not 1 <= int(text) <= MAX_ID:
        raise ValueError(ID_RANGE)
    return int(text)


def lookup_id(value):
    """An id to look a row up by, or None when it cannot name one (the lookup is then NotFound)."""
    try:
        return parse_id(value)
    except ValueError:
        return None


def check_text(value):
    """Text the database can store: NUL characters are refused (PostgreSQL's text cannot hold them)."""
    if NUL in value:
        raise ValueError(NO_NUL)
    return value


def without_nul(value):
    """Text from outside (a letter) with its NUL characters dropped: nobody typed them."""
    return value.replace(NUL, "") if isinstance(value, str) else value


def parse_datetime(value):
    """A time people or programs typed (ISO 8601; without a zone: the app's TIMEZONE) as naive UTC.

    ValueError unless it reads as a date of the years 1900 to 9999, in the zone it was typed in and in UTC.
    """
    try:
        parsed = value if isinstance(value, datetime) else \
            datetime.fromisoformat(check_text(str(value)).strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("a date and time like 2026-11-28 or 2026-11-28T14:30") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_zone["local"])  # people type their own wall-clock time
    try:
        utc = parsed.astimezone(timezone.utc)
    except OverflowError:  # a time near year 1 or 9999 whose UTC moment falls outside datetime's range
        raise ValueError(DATE_RANGE) from None
    if not YEARS[0] <= parsed.year <= YEARS[1] or not YEARS[0] - 1 <= utc.year <= YEARS[1]:
        raise ValueError(DATE_RANGE)
    return utc.replace(tzinfo=None)  # stored times are naive UTC


def parse_date(value):
    """A calendar date typed as 2026-11-28 (a date, not a moment: no zone); ValueError otherwise."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        parsed = date.fromisoformat(check_text(str(value)).strip())
    except ValueError:
        raise ValueError("a date like 2026-11-28") from None
    if not YEARS[0] <= parsed.year <= YEARS[1]:
        raise ValueError(DATE_RANGE)
    return parsed


def utc_text(value):
    """A stored (naive UTC) time as programs read it: ISO 8601 with its zone, ``2026-11-28T14:30:00Z``."""
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


_zone = {"local": timezone.utc}


def set_timezone(name):
    """Set the zone in which times typed without an offset are meant (app setting TIMEZONE)."""
    _zone["local"] = ZoneInfo(name)


def to_local(value):
    """A stored (naive UTC) time as an aware time in the configured zone, for display."""
    return value.replace(tzinfo=timezone.utc).astimezone(_zone["local"]) if value else value


def _reference(model, value, field, label):
    if value in (None, ""):
        return None
    row = db.session.get(model, parse_id(value))
    if row is None:
        raise ValueError(f"no {label} #{value}")
    return row.id


def clean(data, partial=False):
    """Check deal fields from any face; return typed values or raise ValidationError.

    With ``partial`` only the given fields are checked (an update).
    """
    errors, values = {}, {}
    unknown = set(data) - set(EDITABLE)
    for name in sorted(unknown):
        errors[name] = "unknown field"
    for name, limit in TEXT_FIELDS.items():
        if name not in data:
            continue
        if isinstance(data[name], (dict, list, bool)):
            errors[name] = "must be text"
            continue
        value = "" if data[name] is None else str(data[name]).strip()
        if limit and len(value) > limit:
            errors[name] = f"at most {limit} characters"
        if NUL in value:
            errors[name] = NO_NUL
        values[name] = value
    for name in ("sender_email", "site_email"):
        if values.get(name) and not EMAIL.match(values[name]):
            errors[name] = "not an e-mail address"
    if values.get("phone") and not PHONE.match(values["phone"]):
        errors["phone"] = "a phone number: digits, spaces, + - ( )"
    checks = {
        "budget": parse_budget,
        "created_at": lambda v: parse_datetime(v) if v not in (None, "") else None,
        "expected_close": lambda v: parse_date(v) if v not in (None, "") else None,
        "counterparty_id": lambda v: _reference(Counterparty, v, "counterparty_id", "counterparty"),
        "source_id": lambda v: _reference(Source, v, "source_id", "source"),
        "contact_id": lambda v: _reference(Contact, v, "contact_id", "contact"),
        "responsible_id": lambda v: _responsible(v),
    }
    for name, check in checks.items():
        if name in data:
            try:
                values[name] = check(data[name])
            except ValueError as exc:
                errors[name] = str(exc)
    if not partial and not values.get("name") and not values.get("company"):
        errors["company"] = "give a company or a name"
    if errors:
        raise ValidationError(errors)
    return values


def _responsible(value):
    user_id = _reference(User, value, "responsible_id", "user")
    if user_id is not None and db.session.get(User, user_id).role not in DEAL_ROLES:
        raise ValueError("the responsible must be a manager")
    return user_id


def same_version(expected, actual):
    """Whether a client's ``expected`` version (None: not given) matches; a non-number is a ValidationError."""
    if expected is None or expected == "":
        return True
    try:
        return parse_id(expected) == actual
    except ValueError:
        raise ValidationError({"version": ID_RANGE}) from None
