"""One letter is one edge: parse, hand to processes.intake, commit — or roll back and count the failure."""
import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from engine.db import db
from mail.parse import letter_key, parse_letter
from mail.siteform import DEFAULT_LABELS
from processes import intake, quarantine, settings

log = logging.getLogger("dealflow.mail")


@dataclass
class Failure:
    """A letter whose handling failed; it stays unflagged unless it goes to quarantine."""

    key: str
    attempts: int
    error: str
    quarantine: bool
    ok = False

    def __str__(self):
        where = "moved to quarantine" if self.quarantine else "left unread, retried next poll"
        return f"failed (attempt {self.attempts}/{quarantine.MAX_ATTEMPTS}, {where}): {self.error}"


def site_labels():
    return settings.get(settings.SITE_LABELS) or DEFAULT_LABELS


def handle(raw, mailbox="", labels=None):
    """Handle one raw letter and commit; an Outcome (flag the letter) or a Failure (do not)."""
    letter = None
    try:
        letter = parse_letter(raw, labels or site_labels())
        try:
            outcome = _receive(letter, raw, mailbox)
        except IntegrityError:
            # Another worker stored the same Message-ID first: now it reads as a duplicate.
            db.session.rollback()
            outcome = _receive(letter, raw, mailbox)
        return outcome
    except Exception as exc:  # any refusal of one letter must not stop the others, and is recorded
        db.session.rollback()
        log.exception("letter %s failed", letter["key"] if letter else "?")
        return _failed(letter, raw, mailbox, exc)


def _receive(letter, raw, mailbox):
    outcome = intake.receive(letter, raw, mailbox)
    quarantine.clear(letter["key"])
    db.session.commit()
    return outcome


def _failed(letter, raw, mailbox, exc):
    key = letter["key"] if letter else letter_key("", raw)
    error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    row = quarantine.count_failed_attempt(key, error, raw, mailbox, (letter or {}).get("subject", ""),
                                    (letter or {}).get("from_email", ""))
    due = quarantine.due_for_quarantine(row)
    db.session.commit()
    return Failure(key, row.attempts, error, due)


def quarantined(failure):
    """Record that a failed letter now sits in the quarantine folder."""
    quarantine.mark_quarantined(quarantine.failed_letter(failure.key))
    db.session.commit()
