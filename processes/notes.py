"""Notes on a deal: anyone who sees the deal adds one; ``@username`` tells that user by mail.

The author may edit or delete a note for EDIT_WINDOW after writing it; then it
is history and stays as written (the rule lives here, whatever face asks).
Notes are stamped with the real time, as the deal's history is (the timeline
sorts them together); the window is measured on the engine clock.
"""
import re
from datetime import timedelta

from sqlalchemy import func, select

from engine import clock
from engine.clock import utcnow
from engine.db import db
from processes import outbox
from processes.access import require_can_see
from processes.activity_models import DealNote
from processes.errors import Forbidden, NotFound, ValidationError
from processes.fields import check_text, lookup_id
from processes.models import Deal, User

EDIT_WINDOW = timedelta(minutes=15)
MAX_TEXT = 10000
MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9_][A-Za-z0-9_.\-]*[A-Za-z0-9_]|[A-Za-z0-9_])")


def _clean(text):
    try:
        text = check_text(str(text or "")).strip()
    except ValueError as exc:
        raise ValidationError({"text": str(exc)}) from None
    if not text:
        raise ValidationError({"text": "required"})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": f"at most {MAX_TEXT} characters"})
    return text


def mentioned(text):
    """The active users a text mentions as ``@username`` (case-insensitive), in one query."""
    names = {name.lower() for name in MENTION.findall(text)}
    if not names:
        return []
    return db.session.scalars(select(User).where(func.lower(User.username).in_(names), User.active.is_(True))
                              .order_by(User.id)).all()


def _notify(deal, note, text, author, already=()):
    people = [user for user in mentioned(text) if user.id != author.id and user.id not in already]
    outbox.enqueue(people, f"note:{note.id}:mention",
                   f"{author.display_name} упоминает вас: № {deal.number} {deal.name}",
                   f"№ {deal.number} · {deal.name}\n{deal.company}\n\n{author.display_name}:\n{text}\n")
    return people


def add_note(deal, user, text):
    """Add a note to a deal; the users it mentions get a letter through the outbox. Flushed."""
    require_can_see(user, deal)
    note = DealNote(deal_id=deal.id, author_id=user.id, text=_clean(text))
    db.session.add(note)
    db.session.flush()
    _notify(deal, note, note.text, user)
    return note


def get_note(deal, note_id):
    row_id = lookup_id(note_id)
    note = None if row_id is None else db.session.get(DealNote, row_id)
    if note is None or note.deal_id != deal.id:
        raise NotFound(f"no note {note_id} on deal {deal.number}")
    return note


def editable(note, user, now=None):
    """Whether ``user`` may still edit or delete ``note``: its author, within EDIT_WINDOW of writing it."""
    return user is not None and note.author_id == user.id and (now or clock.now()) - note.created_at <= EDIT_WINDOW


def _require_editable(note, user):
    require_can_see(user, note_deal(note))
    if note.author_id != user.id:
        raise Forbidden("only the author changes a note")
    if not editable(note, user):
        raise Forbidden("a note can be changed for 15 minutes after it was written; now it is history")


def note_deal(note):
    return db.session.get(Deal, note.deal_id)


def edit_note(note, user, text):
    """Change a note's text within the window; newly mentioned users are told. Flushed."""
    _require_editable(note, user)
    before = {u.id for u in mentioned(note.text)}
    note.text, note.edited_at = _clean(text), utcnow()
    db.session.flush()
    _notify(note_deal(note), note, note.text, user, already=before)
    return note


def delete_note(note, user):
    """Delete a note within the window. Flushed."""
    _require_editable(note, user)
    db.session.delete(note)
    db.session.flush()
