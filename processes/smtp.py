"""Sending outbox letters over SMTP; off until a host is set (DEALFLOW_SMTP_* or the admin settings)."""
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from processes import settings
from processes.access import require_role

SETTING = "smtp"
DEFAULTS = {"host": "", "port": 25, "security": "none", "username": "", "password": "",
            "sender": "dealflow@localhost", "timeout": 10}
SECURITY = ("none", "starttls", "ssl")


def effective(config):
    """The settings in force: the stored ones, overridden by SMTP_* keys of the app config."""
    result = dict(DEFAULTS)
    result.update(settings.get(SETTING) or {})
    for key in DEFAULTS:
        value = config.get(f"SMTP_{key.upper()}")
        if value not in (None, ""):
            result[key] = value
    result["port"] = int(result["port"])
    return result


def enabled(smtp):
    return bool(str(smtp.get("host") or "").strip())


def store(values, user):
    """Save the admin's SMTP settings; an empty password keeps the stored one."""
    require_role(user, "admin")
    current = dict(DEFAULTS, **(settings.get(SETTING) or {}))
    for key in DEFAULTS:
        if key in values and not (key == "password" and values[key] in ("", None)):
            current[key] = values[key]
    return settings.put(SETTING, current, user)


def masked(smtp):
    return {**smtp, "password": "***" if smtp.get("password") else ""}


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
