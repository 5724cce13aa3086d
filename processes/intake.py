"""Letters become deals: one letter in, one outcome out — a new deal, a reply joined, or a skip with a reason.

The caller (one letter is one edge) commits after ``receive`` and only then
flags the letter in the mailbox; a crash in between leaves a letter whose
Message-ID is stored, so the next poll skips it as a duplicate.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from engine.db import db
from engine.models import utcnow
from processes import deals, directories, settings
from processes.errors import NotFound
from processes.fields import EMAIL, PHONE, TEXT_FIELDS
from processes.mailstore import Letter
from processes.models import Deal

MESSAGE = "deal_mail_received"  # the deal diagram's message start event
PAYLOAD_TEXT = 4000  # the letter's text rides in the workflow's data only this far
SKIPS = {"auto_reply": "auto-reply", "bounce": "bounce", "bulk": "bulk mail"}
SITE_FIELDS = ("phone", "site_email", "company", "site_referrer", "ga_client_id", "ym_client_id")


@dataclass
class Outcome:
    """What became of one letter, for the CLI and the worker's log."""

    action: str  # created, joined, skipped, held
    key: str
    deal_number: int | None = None
    reason: str = ""

    ok = True  # the letter may be flagged in its mailbox

    def __str__(self):
        if self.action == "created":
            return f"created deal {self.deal_number}"
        if self.action == "joined":
            return f"joined deal {self.deal_number}"
        return f"{self.action}: {self.reason}"


def receive(letter, raw, mailbox=""):
    """Turn a parsed letter (mail.parse.parse_letter data) into a deal, a reply or a recorded skip."""
    key = letter["key"]
    existing = db.session.scalar(select(Letter).where(Letter.message_id == key))
    if existing is not None:
        number = db.session.scalar(select(Deal.number).where(Deal.id == existing.deal_id)) \
            if existing.deal_id else None
        where = f" (deal {number})" if number else ""
        return Outcome("skipped", key, number, f"duplicate: this letter was received before{where}")
    if letter.get("kind") in SKIPS:
        _store(letter, raw, mailbox, letter["kind"])
        return Outcome("skipped", key, reason=SKIPS[letter["kind"]])
    parent = _replied_deal(letter)
    if parent is not None:
        _store(letter, raw, mailbox, "reply", parent)
        return Outcome("joined", key, parent.number)
    guard = _loop_guard(letter.get("from_email", ""))
    if guard:
        _store(letter, raw, mailbox, "held")
        return Outcome("held", key, reason=guard)
    deal = deals.create_deal(deal_fields(letter), None, message=MESSAGE, payload=payload(letter))
    _store(letter, raw, mailbox, "deal", deal)
    return Outcome("created", key, deal.number)


def _store(letter, raw, mailbox, outcome, deal=None):
    row = Letter(message_id=letter["key"], deal_id=deal.id if deal else None, outcome=outcome,
                 mailbox=mailbox, subject=letter.get("subject", ""), from_name=_clip(letter.get("from_name"), 300),
                 from_email=_clip(letter.get("from_email"), 300), sent_at=_when(letter.get("date")),
                 attachments=[a["filename"] for a in letter.get("attachments", [])],
                 size=len(raw), raw=raw)
    db.session.add(row)
    db.session.flush()
    return row


def _replied_deal(letter):
    """The deal whose letter this one answers (In-Reply-To first, then References from the last)."""
    ids = list(letter.get("in_reply_to", [])) + list(reversed(letter.get("references", [])))
    if not ids:
        return None
    rows = db.session.execute(select(Letter.message_id, Deal).join(Deal, Deal.id == Letter.deal_id)
                              .where(Letter.message_id.in_(ids))).all()
    by_id = {message_id: deal for message_id, deal in rows}
    return next((by_id[i] for i in ids if i in by_id), None)


def _loop_guard(sender):
    """A reason to hold the letter back when its sender opened too many deals lately, else ''."""
    if not sender:
        return ""
    limit = settings.get(settings.LOOP_GUARD)
    since = utcnow() - timedelta(hours=float(limit["hours"]))
    opened = db.session.scalar(select(func.count(Letter.id)).where(
        Letter.from_email == sender, Letter.outcome == "deal", Letter.received_at >= since))
    if opened >= int(limit["letters"]):
        return f"loop guard: {sender} opened {opened} deals in {limit['hours']} h"
    return ""


def _clip(value, limit):
    return (value or "").strip()[:limit]


def _when(value):
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def source_for(letter):
    """The deal's source: a subject rule's source, «Сайт» for a website request, else «E-mail»."""
    subject = (letter.get("subject") or "").lower()
    names = [name for needle, name in settings.get(settings.SUBJECT_RULES) if needle.lower() in subject]
    names.append("Сайт" if letter.get("site") else "E-mail")
    for name in names:
        try:
            return directories.source_by_name(name)
        except NotFound:
            continue
    return None


def deal_fields(letter):
    """Deal fields from a letter; values a form mailer got wrong go to the description, never fail."""
    site = letter.get("site") or {}
    sender = letter.get("from_email", "")
    text = letter.get("text", "")
    description = site.get("description") or text
    values = {
        "name": _clip(letter.get("subject") or sender or "—", TEXT_FIELDS["name"]),
        "contact_name": _clip(site.get("contact_name") or letter.get("from_name") or sender,
                              TEXT_FIELDS["contact_name"]),
        "sender_email": sender if EMAIL.match(sender) and len(sender) <= 300 else "",
        "mail_message": text,
    }
    rejected = []
    for name in SITE_FIELDS:
        value = (site.get(name) or "").strip()
        valid = {"phone": PHONE.match(value), "site_email": EMAIL.match(value)}.get(name, True)
        if value and valid and len(value) <= TEXT_FIELDS[name]:
            values[name] = value
        elif value:
            rejected.append(value)
    values["description"] = "\n".join([description] + rejected).strip()
    source = source_for(letter)
    if source is not None:
        values["source_id"] = source.id
    return values


def payload(letter):
    """The JSON-clean data the diagram's message start event receives as ``letter``."""
    data = {k: letter.get(k) for k in ("key", "message_id", "subject", "from_name", "from_email", "date",
                                        "in_reply_to", "references", "site")}
    data["attachments"] = [a["filename"] for a in letter.get("attachments", [])]
    data["text"] = (letter.get("text") or "")[:PAYLOAD_TEXT]
    return data
