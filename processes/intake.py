"""Letters become deals: one letter in, one outcome out — a new deal, a reply joined, or a skip with a reason.

The caller commits after ``receive`` (a group of letters, each in its own
SAVEPOINT, is one edge) and only then flags the letters in the mailbox; a
crash in between leaves letters whose Message-IDs are stored, so the next
poll skips them as duplicates.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from engine.clock import utcnow
from engine.db import db
from processes import contacts, deals, directories, quarantine, settings, statuses
from processes.errors import NotFound
from processes.fields import EMAIL, PHONE, TEXT_FIELDS
from processes.mail_models import Letter
from processes.models import Deal

MESSAGE = "deal_mail_received"  # the deal diagram's message start event
PAYLOAD_TEXT = 4000  # the letter's text rides in the workflow's data only this far
SKIPS = {"auto_reply": "auto-reply", "bounce": "bounce", "bulk": "bulk mail"}
CHUNK = 500  # keys per IN (…): under every database's parameter limit
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


class Batch:
    """What a group of letters needs from the database, read once for the group, kept current as it goes.

    The letters already stored, the deals their replies may join, how many deals each sender opened
    lately (the loop guard), the subject rules and sources, the keys with failures on record: a few
    queries per group instead of several per letter. ``receive`` updates it, so a letter that
    answers or repeats one earlier in the same group is read right.
    """

    def __init__(self, letters):
        letters = list(letters)
        self.known = {}  # key -> deal number (None: stored without a deal)
        self.refresh([letter["key"] for letter in letters])
        ids = {i for letter in letters for i in list(letter.get("in_reply_to", [])) + list(letter.get("references", []))}
        self.deals = {}  # Message-ID -> the deal it belongs to
        for start in range(0, len(ids), CHUNK):
            part = sorted(ids)[start:start + CHUNK]
            self.deals.update(db.session.execute(select(Letter.message_id, Deal).join(Deal, Deal.id == Letter.deal_id)
                                                 .where(Letter.message_id.in_(part))).all())
        self.guard = settings.get(settings.LOOP_GUARD)
        since = utcnow() - timedelta(hours=float(self.guard["hours"]))
        senders = sorted({letter.get("from_email") for letter in letters if letter.get("from_email")})
        self.opened = dict.fromkeys(senders, 0)
        for start in range(0, len(senders), CHUNK):
            self.opened.update(db.session.execute(
                select(Letter.from_email, func.count(Letter.id)).where(
                    Letter.from_email.in_(senders[start:start + CHUNK]), Letter.outcome == "deal",
                    Letter.received_at >= since).group_by(Letter.from_email)).all())
        # Senders who are known contacts, with the manager of their counterparty's newest open deal.
        self.contacts = contacts.known_senders(senders, _open_statuses) if senders else {}
        self.rules = settings.get(settings.SUBJECT_RULES)
        self.sources = {}  # name -> Source or None
        self.failed = quarantine.keys_with_failures([letter["key"] for letter in letters])

    def refresh(self, keys):
        """Read again which of these keys are stored (another worker may have stored one meanwhile)."""
        keys = list(keys)
        for start in range(0, len(keys), CHUNK):
            self.known.update(db.session.execute(
                select(Letter.message_id, Deal.number).outerjoin(Deal, Deal.id == Letter.deal_id)
                .where(Letter.message_id.in_(keys[start:start + CHUNK]))).all())
        return self

    def source(self, name):
        if name not in self.sources:
            try:
                self.sources[name] = directories.source_by_name(name)
            except NotFound:
                self.sources[name] = None
        return self.sources[name]

    def stored(self, letter, deal, created):
        """Note a letter stored in this group (called once its row is flushed)."""
        self.known[letter["key"]] = deal.number if deal else None
        if deal is not None:
            self.deals[letter["key"]] = deal
        if created and letter.get("from_email"):
            self.opened[letter["from_email"]] = self.opened.get(letter["from_email"], 0) + 1
        self.failed.discard(letter["key"])


def receive(letter, raw, mailbox="", batch=None):
    """Turn a parsed letter (mail.parse.parse_letter data) into a deal, a reply or a recorded skip.

    ``batch`` is what the letter's group read once (a Batch of this letter alone when not given).
    """
    batch = batch or Batch([letter])
    key = letter["key"]
    if key in batch.known:
        number = batch.known[key]
        where = f" (deal {number})" if number else ""
        return Outcome("skipped", key, number, f"duplicate: this letter was received before{where}")
    if letter.get("kind") in SKIPS:
        _store(letter, raw, mailbox, letter["kind"], batch)
        return Outcome("skipped", key, reason=SKIPS[letter["kind"]])
    parent = _replied_deal(letter, batch)
    if parent is not None:
        _store(letter, raw, mailbox, "reply", batch, parent)
        return Outcome("joined", key, parent.number)
    guard = _loop_guard(letter.get("from_email", ""), batch)
    if guard:
        _store(letter, raw, mailbox, "held", batch)
        return Outcome("held", key, reason=guard)
    deal = deals.create_deal(deal_fields(letter, batch), None, message=MESSAGE, payload=payload(letter))
    _store(letter, raw, mailbox, "deal", batch, deal)
    return Outcome("created", key, deal.number)


def _store(letter, raw, mailbox, outcome, batch, deal=None):
    row = Letter(message_id=letter["key"], deal_id=deal.id if deal else None, outcome=outcome,
                 mailbox=mailbox, subject=letter.get("subject", ""), from_name=_clip(letter.get("from_name"), 300),
                 from_email=_clip(letter.get("from_email"), 300), sent_at=_when(letter.get("date")),
                 attachments=[a["filename"] for a in letter.get("attachments", [])],
                 size=len(raw), raw=raw)
    db.session.add(row)
    db.session.flush()
    if letter["key"] in batch.failed:  # it failed before and went through at last: forget its failures
        quarantine.clear(letter["key"])
    batch.stored(letter, deal, outcome == "deal")
    return row


def _replied_deal(letter, batch):
    """The deal whose letter this one answers (In-Reply-To first, then References from the last)."""
    ids = list(letter.get("in_reply_to", [])) + list(reversed(letter.get("references", [])))
    return next((batch.deals[i] for i in ids if i in batch.deals), None)


def _loop_guard(sender, batch):
    """A reason to hold the letter back when its sender opened too many deals lately, else ''."""
    if not sender:
        return ""
    limit = batch.guard
    opened = batch.opened.get(sender, 0)
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


def _open_statuses():
    """Statuses of the newest deal diagram a deal is still worked in: not an end, not the archive."""
    return [s.code for s in statuses.current_model().statuses if not s.final and not s.archive]


def _known_sender(values, sender, batch):
    """A known contact's letter: that contact (as the primary one) and counterparty, and the manager of the
    counterparty's newest open deal as the responsible (the deal still waits in its first status to be taken)."""
    contact, manager = batch.contacts.get(sender.lower(), (None, None))
    if contact is None:
        return
    values["contact_id"] = contact.id
    if contact.counterparty_id is not None:
        values["counterparty_id"] = contact.counterparty_id
    if manager is not None and manager.active:
        values["responsible_id"] = manager.id


def source_for(letter, batch=None):
    """The deal's source: a subject rule's source, «Сайт» for a website request, else «E-mail»."""
    batch = batch or Batch([letter])
    subject = (letter.get("subject") or "").lower()
    names = [name for needle, name in batch.rules if needle.lower() in subject]
    names.append("Сайт" if letter.get("site") else "E-mail")
    return next((source for source in map(batch.source, names) if source is not None), None)


def deal_fields(letter, batch=None):
    """Deal fields from a letter; values a form mailer got wrong go to the description, never fail."""
    batch = batch or Batch([letter])
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
    source = source_for(letter, batch)
    if source is not None:
        values["source_id"] = source.id
    _known_sender(values, values["sender_email"], batch)
    return values


def payload(letter):
    """The JSON-clean data the diagram's message start event receives as ``letter``."""
    data = {k: letter.get(k) for k in ("key", "message_id", "subject", "from_name", "from_email", "date",
                                        "in_reply_to", "references", "site")}
    data["attachments"] = [a["filename"] for a in letter.get("attachments", [])]
    data["text"] = (letter.get("text") or "")[:PAYLOAD_TEXT]
    return data
