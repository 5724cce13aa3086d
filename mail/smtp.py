"""Sending a letter over SMTP with the settings in force (``processes.smtp.effective``)."""
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid


def send(smtp, letter):
    """Send one outbox row (or ``processes.smtp.Outgoing``); raises OSError or smtplib.SMTPException on failure."""
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
