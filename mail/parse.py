"""A letter's raw bytes as plain, JSON-clean data: ids, people, subject, text, attachments, kind."""
import hashlib
import re
from datetime import timezone
from email import message_from_bytes
from email.utils import parsedate_to_datetime

from imap_tools import MailMessage

from mail import addresses
from mail.charsets import decode_bytes, decode_header_value
from mail.htmltext import html_to_text
from mail.siteform import parse_site_request
from processes.errors import NotFound
from processes.fields import YEARS, without_nul

MESSAGE_ID = re.compile(r"<[^<>\s]+>")
MAX_ID = 500
BULK_PRECEDENCE = ("bulk", "junk", "list")
BOUNCE_SENDERS = ("mailer-daemon", "postmaster")


def letter_key(message_id, raw):
    """Message-ID, or a stable digest of the raw bytes when there is none (or it is absurdly long)."""
    if message_id and len(message_id) <= MAX_ID:
        return message_id
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _ids(value):
    return MESSAGE_ID.findall(decode_header_value(value))


def _date(obj):
    try:
        value = parsedate_to_datetime(decode_header_value(obj["Date"]))
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if not YEARS[0] <= value.year <= YEARS[1]:
        return None
    return value.replace(tzinfo=None).isoformat(timespec="seconds")


def _is_attachment(part):
    return part.get_content_disposition() == "attachment" or bool(part.get_filename())


def _body(obj):
    plain, markup = [], []
    for part in obj.walk():
        if part.is_multipart() or _is_attachment(part) or part.get_content_maintype() != "text":
            continue
        payload = part.get_payload(decode=True) or b""
        try:
            charset = part.get_content_charset()
        except Exception:  # a malformed charset parameter: decode by guessing
            charset = None
        text = decode_bytes(payload, charset).replace("\r\n", "\n").replace("\r", "\n")
        (markup if part.get_content_subtype() == "html" else plain).append(text)
    text = "\n\n".join(t.strip() for t in plain if t.strip())
    return text or "\n\n".join(html_to_text(m) for m in markup if m.strip())


def _attachments(message):
    result = []
    for attachment in message.attachments:
        name = attachment.filename or decode_header_value(attachment.part.get_filename()) or "attachment"
        result.append({"filename": name, "content_type": attachment.content_type, "size": attachment.size})
    return result


def kind_of(obj, sender):
    """'auto_reply', 'bounce', 'bulk' or None for a letter a person wrote."""
    auto = (obj.get("Auto-Submitted") or "").strip().lower()
    if (auto and auto != "no") or "X-Autoreply" in obj or "X-Autorespond" in obj:
        return "auto_reply"
    if obj.get_content_type() == "multipart/report" or sender.split("@")[0] in BOUNCE_SENDERS:
        return "bounce"
    if (obj.get("Precedence") or "").strip().lower() in BULK_PRECEDENCE or "List-Unsubscribe" in obj:
        return "bulk"
    return None


def refusal(raw):
    """Why bytes handed in as a letter (``mail import``) are none at all, or "" when they may be one."""
    if not raw.strip():
        return "an empty file is not a letter"
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
    if b"\x00" in head:
        return "binary data, not a letter"
    if not message_from_bytes(head + b"\n\n").keys():
        return "no mail headers: not a letter"
    return ""


def _text_only(value):
    """The parsed data with NUL characters dropped from every string: text a database can store."""
    if isinstance(value, str):
        return without_nul(value)
    if isinstance(value, list):
        return [_text_only(v) for v in value]
    if isinstance(value, dict):
        return {k: _text_only(v) for k, v in value.items()}
    return value


def parse_letter(raw, labels=None):
    """Parse raw RFC 822 bytes into plain data (never raises on broken input; NUL characters dropped)."""
    message = MailMessage.from_bytes(raw)
    obj = message.obj
    ids = _ids(obj["Message-ID"])
    message_id = ids[0] if ids else ""
    name, address = addresses.sender(obj)
    text = without_nul(_body(obj))
    return _text_only({
        "key": letter_key(message_id, raw),
        "message_id": message_id,
        "in_reply_to": _ids(obj["In-Reply-To"]),
        "references": _ids(obj["References"]),
        "subject": decode_header_value(obj["Subject"]),
        "from_name": name,
        "from_email": address,
        "date": _date(obj),
        "text": text,
        "attachments": _attachments(message),
        "kind": kind_of(obj, address),
        "site": parse_site_request(text, labels),
        "size": len(raw),
        "defects": len(obj.defects),
    })


def attachment(letter, index):
    """Attachment ``index`` of a stored letter (``processes.letters.get_letter``) as (file name, content type,
    bytes), or NotFound.

    Counted as the intake listed them (imap-tools' order), so the index matches
    ``letter.attachments``.
    """
    parts = MailMessage.from_bytes(letter.raw).attachments
    if not 0 <= index < len(parts):
        raise NotFound(f"letter #{letter.id} has no attachment {index + 1}")
    names = letter.attachments or []
    part = parts[index]
    return (names[index] if index < len(names) else part.filename) or "attachment", part.content_type, part.payload
