"""Letters become deals: one letter in, one outcome out — a new deal, a reply joined, or a skip with a reason.

A group of letters is decided letter by letter against what the group read once
(``Batch``), then written together: its new deals through ``deals.create_deals``
(one statement per table), its letters' rows in one INSERT. The caller commits
the group (one edge) and only then flags the letters in the mailbox; a crash in
between leaves letters whose Message-IDs are stored, so the next poll skips them
as duplicates. When the database refuses the group, the caller rolls it back and
hands the letters over one by one, each in a SAVEPOINT of its own.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select

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
DUPLICATE = "duplicate: this letter was received before"
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
            self.known.update((key, None if number is None else _DealRef(deal_id, number))
                              for key, deal_id, number in db.session.execute(
                select(Letter.message_id, Deal.id, Deal.number).outerjoin(Deal, Deal.id == Letter.deal_id)
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
        """Note a letter of this group as stored (when it is decided; the group's rows are written after)."""
        self.known[letter["key"]] = deal
        if deal is not None:
            self.deals[letter["key"]] = deal
        if created and letter.get("from_email"):
            self.opened[letter["from_email"]] = self.opened.get(letter["from_email"], 0) + 1
        self.failed.discard(letter["key"])


@dataclass
class _DealRef:
    """A deal a letter names: one stored, or one the group makes (id and number set once its deals are written)."""

    id: int | None = None
    number: int | None = None


def receive(letter, raw, mailbox="", batch=None):
    """Turn a parsed letter (mail.parse.parse_letter data) into a deal, a reply or a recorded skip: an Outcome.

    ``batch`` is what the letter's group read once (a Batch of this letter alone when not given).
    """
    (result,) = receive_many([letter], [raw], mailbox, batch)
    if isinstance(result, Exception):
        raise result
    return result


def receive_many(letters, raws, mailbox="", batch=None):
    """Letters in order to their Outcomes; the group's new deals made together (``deals.create_deals``) and
    its letters' rows written in one INSERT.

    Every letter is decided first, against ``batch`` (so one answering or repeating an earlier letter of
    the group is read right); a letter whose deal fields are refused gets its exception in its place in
    the result and leaves no trace. A refusal by the database raises: the caller rolls the group back
    and hands the letters over one by one.
    """
    batch = batch or Batch(letters)
    decided, rows, new, cleared = [], [], [], []
    for letter, raw in zip(letters, raws):
        try:
            decided.append(_decide(letter, raw, mailbox, batch, (rows, new, cleared)))
        except Exception as exc:  # noqa: BLE001 - one letter's refusal must not stop the others; the caller logs it
            decided.append(exc)
    if new:
        made = deals.create_deals([values for _deal, values, _payload in new], MESSAGE,
                                  [payload for _deal, _values, payload in new])
        for (deal, _values, _payload), done in zip(new, made):
            deal.id, deal.number = done.id, done.number
    if rows:
        for row in rows:
            row["deal_id"] = row["deal_id"].id if row["deal_id"] is not None else None
        db.session.execute(insert(Letter.__table__), rows)
    if cleared:  # they failed before and went through at last: forget their failures
        quarantine.clear(cleared)
    return [_outcome(*found) if isinstance(found, tuple) else found for found in decided]


def _outcome(action, key, deal, reason):
    """The Outcome of a decided letter, its deal's number known now that the group's deals are written."""
    number = deal.number if deal is not None else None
    if reason == DUPLICATE and number is not None:
        reason = f"{reason} (deal {number})"
    return Outcome(action, key, number, reason)


def _decide(letter, raw, mailbox, batch, pending):
    """One letter's outcome as (action, key, deal, reason); its deal and row are left ``pending`` (rows, new
    deals, keys whose failures to forget) for the group to write."""
    key = letter["key"]
    if key in batch.known:
        return "skipped", key, batch.known[key], DUPLICATE
    if letter.get("kind") in SKIPS:
        _store(letter, raw, mailbox, letter["kind"], batch, pending)
        return "skipped", key, None, SKIPS[letter["kind"]]
    parent = _replied_deal(letter, batch)
    if parent is not None:
        _store(letter, raw, mailbox, "reply", batch, pending, parent)
        return "joined", key, parent, ""
    guard = _loop_guard(letter.get("from_email", ""), batch)
    if guard:
        _store(letter, raw, mailbox, "held", batch, pending)
        return "held", key, None, guard
    values = deals.new_deal_values(deal_fields(letter, batch), None)
    deal = _DealRef()
    pending[1].append((deal, values, payload(letter)))
    _store(letter, raw, mailbox, "deal", batch, pending, deal)
    return "created", key, deal, ""


def _store(letter, raw, mailbox, outcome, batch, pending, deal=None):
    rows, _new, cleared = pending
    if letter["key"] in batch.failed:
        cleared.append(letter["key"])
    rows.append({"message_id": letter["key"], "deal_id": deal, "outcome": outcome, "mailbox": mailbox,
                 "subject": letter.get("subject", ""), "from_name": _clip(letter.get("from_name"), 300),
                 "from_email": _clip(letter.get("from_email"), 300), "received_at": utcnow(),
                 "sent_at": _when(letter.get("date")),
                 "attachments": [a["filename"] for a in letter.get("attachments", [])], "size": len(raw), "raw": raw})
    batch.stored(letter, deal, outcome == "deal")


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
