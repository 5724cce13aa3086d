"""Letters that failed: counted per attempt, quarantined after MAX_ATTEMPTS, listed for the admin."""
from sqlalchemy import delete, func, select

from engine.clock import utcnow
from engine.db import db
from processes.access import require_role
from processes.errors import NotFound
from processes.mail_models import IntakeFailure, Letter

MAX_ATTEMPTS = 5


def count_failed_attempt(key, error, raw=None, mailbox="", subject="", from_email=""):
    """Count one more failed attempt at a letter; the caller commits (after rolling back the attempt)."""
    row = db.session.scalar(select(IntakeFailure).where(IntakeFailure.letter_key == key))
    if row is None:
        row = IntakeFailure(letter_key=key, attempts=0, first_at=utcnow())
        db.session.add(row)
    row.attempts += 1
    row.error = str(error)[:4000]
    row.last_at = utcnow()
    row.mailbox = mailbox
    row.subject = (subject or "")[:1000]
    row.from_email = (from_email or "")[:300]
    if raw is not None:
        row.raw = raw
    db.session.flush()
    return row


def due_for_quarantine(row):
    """Whether a letter failed often enough to leave the inbox (again, if an earlier move was lost)."""
    return row.attempts >= MAX_ATTEMPTS


def mark_quarantined(row):
    row.quarantined = True
    db.session.flush()
    return row


def keys_with_failures(keys, chunk=500):
    """The keys among ``keys`` that have failures on record (one query per chunk of keys)."""
    keys, found = list(keys), set()
    for start in range(0, len(keys), chunk):
        found.update(db.session.scalars(select(IntakeFailure.letter_key)
                                        .where(IntakeFailure.letter_key.in_(keys[start:start + chunk]))))
    return found


def clear(keys):
    """Forget the failures of letters that went through at last."""
    db.session.execute(delete(IntakeFailure).where(IntakeFailure.letter_key.in_(list(keys))))


def failures(user=None):
    """Failed letters, quarantined first, newest first (admins only when a user asks)."""
    if user is not None:
        require_role(user, "admin")
    return db.session.scalars(select(IntakeFailure).order_by(
        IntakeFailure.quarantined.desc(), IntakeFailure.last_at.desc())).all()


def skipped_counts():
    """How many letters made no deal, by reason (auto_reply, bounce, bulk, held)."""
    rows = db.session.execute(select(Letter.outcome, func.count(Letter.id))
                              .where(Letter.deal_id.is_(None)).group_by(Letter.outcome)).all()
    return {outcome: count for outcome, count in rows}


def failed_letter(key):
    """The failure row of a letter, else NotFound."""
    row = db.session.scalar(select(IntakeFailure).where(IntakeFailure.letter_key == key))
    if row is None:
        raise NotFound(f"no failure recorded for letter {key}")
    return row
