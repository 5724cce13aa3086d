"""Sending outbox letters over SMTP: off by default, turned on from the admin page or DEALFLOW_SMTP_*.

The admin page stores the settings under one key of the settings store; the
password is kept there and never read back to a page (``stored_for_page``
gives only whether one is kept). Keys of the app config (``SMTP_HOST``…, from
``DEALFLOW_SMTP_*`` environment variables) win over the stored ones, as the
mailbox URL from the environment wins over the mail page.
"""
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

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
class Letter:
    """A letter not in the outbox (the admin's test letter); outbox rows have the same fields."""

    id: str
    to_email: str
    subject: str
    body: str


def send_test(smtp, to_email, user):
    """Send a test letter now (the admin's check of the settings); raises like ``send``."""
    require_role(user, "admin")
    if not str(smtp.get("host") or "").strip():
        raise ValidationError({"host": "required"})
    if "@" not in parseaddr(to_email or "")[1]:
        raise ValidationError({"to": "not an e-mail address"})
    send(smtp, Letter("test", to_email, "dealflow: test letter", "The SMTP settings of dealflow work.\n"))


def send(smtp, letter):
    """Send one outbox row; raises OSError or smtplib.SMTPException on failure."""
    message = EmailMessage()
    message["From"] = smtp["sender"]
    message["To"] = letter.to_email
    message["Subject"] = letter.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(idstring=f"outbox-{letter.id}")
    message.set_content(letter.body)
    timeout = float(smtp.get("timeout") or 10)
    if smtp["security"] == "ssl":
        client = smtplib.SMTP_SSL(smtp["host"], smtp["port"], timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(smtp["host"], smtp["port"], timeout=timeout)
    with client:
        if smtp["security"] == "starttls":
            client.starttls(context=ssl.create_default_context())
        if smtp.get("username"):
            client.login(smtp["username"], smtp["password"])
        client.send_message(message)
