"""A group of letters is one edge: parsed, handed to processes.intake together, committed together.

When the database refuses the group, it goes again letter by letter, each in a SAVEPOINT: a letter
that fails rolls back to its own savepoint and alone, the group's other letters commit, and its
failure is counted (toward quarantine) in a transaction of its own after the group's.
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
    """Handle raw letters in one transaction; their Outcomes and Failures, in order."""
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
        outcomes = _receive_all(letters, raws, mailbox, errors)
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
    first SAVEPOINT would be the outermost and its RELEASE would commit on its own."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        # IMMEDIATE: take the write lock first, so the group reads what it writes against (two workers
        # on one SQLite file take turns instead of failing a whole group on a stale snapshot).
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _receive_all(letters, raws, mailbox, errors):
    """The group's Outcomes (None where a letter failed, its error noted in ``errors``).

    The parsed letters go together (processes.intake.receive_many) in one SAVEPOINT; when the database
    refuses any of it, that savepoint rolls back and they go one by one, each in its own, so a failing
    letter rolls back alone.
    """
    parsed = [index for index, letter in enumerate(letters) if letter is not None]
    try:
        with db.session.begin_nested():
            results = intake.receive_many([letters[i] for i in parsed], [raws[i] for i in parsed], mailbox)
    except Exception:  # noqa: BLE001 - which letter the database refused is found letter by letter
        log.warning("the database refused a group of %d letters; handling them one by one", len(parsed),
                    exc_info=True)
        results = _one_by_one([letters[i] for i in parsed], [raws[i] for i in parsed], mailbox)
    outcomes = [None] * len(raws)
    for index, result in zip(parsed, results):
        if isinstance(result, Exception):
            log.error("letter %s failed: %s", letters[index]["key"], result, exc_info=result)
            errors[index] = result
        else:
            outcomes[index] = result
    return outcomes


def _one_by_one(letters, raws, mailbox):
    """Each letter in a SAVEPOINT of its own: an Outcome, or the exception that rolled it back."""
    batch, results = intake.Batch(letters), []
    for index, (letter, raw) in enumerate(zip(letters, raws)):
        for attempt in (1, 2):
            try:
                with db.session.begin_nested():
                    result = intake.receive_many([letter], [raw], mailbox, batch)[0]
                break
            except Exception as exc:  # noqa: BLE001 - recorded as this letter's failure
                result = exc
                # What the database now says, without the rolled-back letter (the batch had noted it).
                batch = intake.Batch(letters[index:])
                # Another worker stored the same Message-ID first: read again, now it is a duplicate.
                if not isinstance(exc, IntegrityError):
                    break
        results.append(result)
    return results


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
