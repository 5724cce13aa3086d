"""A group of letters is one edge: parsed, each handed to processes.intake in a SAVEPOINT, committed together.

A letter that fails rolls back to its own savepoint and alone: the group's other letters commit,
and its failure is counted (toward quarantine) in a transaction of its own after the group's.
The caller flags the group's good letters only after ``handle_group`` returns, i.e. after the commit.
"""
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
    return handle_group([raw], mailbox, labels)[0]


def handle_group(raws, mailbox="", labels=None):
    """Handle raw letters in one transaction, a SAVEPOINT each; their Outcomes and Failures, in order."""
    labels = labels or site_labels()
    letters, errors = [], {}
    for index, raw in enumerate(raws):
        try:
            letters.append(parse_letter(raw, labels))
        except Exception as exc:  # the parser should never raise; if it does, the letter fails alone
            letters.append(None)
            errors[index] = exc
    try:
        _begin()
        batch = intake.Batch(letter for letter in letters if letter)
        outcomes = [None if letter is None else _receive(letter, raw, mailbox, batch, errors, index)
                    for index, (letter, raw) in enumerate(zip(letters, raws))]
        db.session.commit()
    except Exception as exc:  # the group as a whole failed (its commit, say): each letter alone, once more
        db.session.rollback()
        if len(raws) > 1:
            log.exception("a group of %d letters failed; handling them one by one", len(raws))
            return [outcome for raw in raws for outcome in handle_group([raw], mailbox, labels)]
        log.exception("letter %s failed", letters[0]["key"] if letters[0] else "?")
        outcomes, errors = [None], {0: exc}
    for index, exc in errors.items():
        outcomes[index] = _failed(letters[index], raws[index], mailbox, exc)
    return outcomes


def _begin():
    """Open the group's transaction now: pysqlite begins one only at the first INSERT/UPDATE/DELETE, so the
    first letter's SAVEPOINT would be the outermost and its RELEASE would commit that letter alone."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        # IMMEDIATE: take the write lock first, so the group reads what it writes against (two workers
        # on one SQLite file take turns instead of failing a whole group on a stale snapshot).
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _receive(letter, raw, mailbox, batch, errors, index):
    """One letter in its SAVEPOINT: an Outcome, or None with the error noted (its savepoint rolled back)."""
    for attempt in (1, 2):
        try:
            with db.session.begin_nested():
                return intake.receive(letter, raw, mailbox, batch)
        except IntegrityError as exc:
            # Another worker stored the same Message-ID first: read again, now it is a duplicate.
            if attempt == 2:
                errors[index] = exc
                return None
            batch.refresh([letter["key"]])
        except Exception as exc:  # any refusal of one letter must not stop the others, and is recorded
            log.exception("letter %s failed", letter["key"])
            errors[index] = exc
            return None


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
