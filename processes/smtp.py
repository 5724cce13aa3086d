"""The SMTP settings: off by default, turned on from the admin page or DEALFLOW_SMTP_*; the mail face sends.

The admin page stores the settings under one key of the settings store; the
password is kept there and never read back to a page (``stored_for_page``
gives only whether one is kept). Keys of the app config (``SMTP_HOST``…, from
``DEALFLOW_SMTP_*`` environment variables) win over the stored ones, as the
mailbox URL from the environment wins over the mail page.
"""
from dataclasses import dataclass
from email.utils import parseaddr

from processes import fields, settings
from processes.access import require_role
from processes.errors import ValidationError

SETTING = "smtp"
DEFAULTS = {"enabled": False, "host": "", "port": 25, "security": "none", "username": "", "password": "",
            "sender": "dealflow@localhost", "timeout": 10}
SECURITY = ("none", "starttls", "ssl")
def overrides(config):
    """The SMTP settings the app config sets (from DEALFLOW_SMTP_*); they win over the admin page."""
    return {key: config[f"SMTP_{key.upper()}"] for key in DEFAULTS
            if config.get(f"SMTP_{key.upper()}") not in (None, "")}


def effective(config):
    """The settings in force: the stored ones, overridden by the app config.

    A host given in the config turns sending on unless ``SMTP_ENABLED`` says otherwise.
    """
    result = dict(DEFAULTS)
    result.update(settings.get(SETTING) or {})
    forced = overrides(config)
    result.update(forced)
    if "host" in forced and "enabled" not in forced:
        result["enabled"] = True
    result["enabled"] = fields.parse_bool(result["enabled"])
    result["port"] = int(result["port"])
    return result


def enabled(smtp):
    return fields.parse_bool(smtp.get("enabled")) and bool(str(smtp.get("host") or "").strip())


def stored_for_page():
    """The stored settings for the admin's form: the password replaced by whether one is kept."""
    stored = dict(DEFAULTS, **(settings.get(SETTING) or {}))
    has_password = bool(stored.pop("password", ""))
    return {**stored, "has_password": has_password}


def _clean(values):
    errors, clean = {}, {"enabled": fields.parse_bool(values.get("enabled"))}
    for key in ("host", "username", "sender"):
        clean[key] = str(values.get(key) or "").strip()
        if any(ch in clean[key] for ch in "\r\n"):
            errors[key] = "one line"
    if clean["enabled"] and not clean["host"]:
        errors["host"] = "required when sending is on"
    try:
        clean["port"] = int(str(values.get("port") or DEFAULTS["port"]).strip())
        if not 0 < clean["port"] < 65536:
            raise ValueError
    except ValueError:
        errors["port"] = "a port number from 1 to 65535"
    clean["security"] = str(values.get("security") or "none")
    if clean["security"] not in SECURITY:
        errors["security"] = f"one of: {', '.join(SECURITY)}"
    if "@" not in parseaddr(clean["sender"])[1]:
        errors["sender"] = "not an e-mail address"
    if errors:
        raise ValidationError(errors)
    return clean


def store(values, user):
    """Check and save the admin's SMTP settings: an empty password keeps the stored one,
    ``forget_password`` drops it."""
    require_role(user, "admin")
    current = dict(DEFAULTS, **(settings.get(SETTING) or {}))
    current.update(_clean(values))
    if values.get("password"):
        current["password"] = str(values["password"])
    elif fields.parse_bool(values.get("forget_password")):
        current["password"] = ""
    settings.put(SETTING, current, user)
    return stored_for_page()


def masked(smtp):
    return {**smtp, "password": "***" if smtp.get("password") else ""}


@dataclass
class Outgoing:
    """A letter to send that is not in the outbox (the admin's test letter); outbox rows have the same fields."""

    id: str
    to_email: str
    subject: str
    body: str


def test_letter(smtp, to_email, user):
    """The admin's test letter to send now (``mail.smtp.send``), once who asks and where it goes are checked."""
    require_role(user, "admin")
    if not str(smtp.get("host") or "").strip():
        raise ValidationError({"host": "required"})
    if "@" not in parseaddr(to_email or "")[1]:
        raise ValidationError({"to": "not an e-mail address"})
    return Outgoing("test", to_email, "dealflow: test letter", "The SMTP settings of dealflow work.\n")
