"""The mail outbox: notifications are rows written with the action, sent later by the worker.

Queuing is part of the action's transaction, so a notification exists exactly
when its action committed, and sending (slow, failing SMTP) never blocks or
breaks the action. The worker takes one due row at a time (SKIP LOCKED on
PostgreSQL), sends it and records the outcome; a failure is retried with a
growing pause, up to MAX_ATTEMPTS. A crash between sending and committing can
send a letter twice: at-least-once, the usual outbox guarantee.
"""
from datetime import timedelta

from sqlalchemy import func, select

from engine import clock
from engine.db import db
from processes.mail_models import OutboxMail

MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(minutes=1)


def enqueue(users, topic, subject, body):
    """Queue one letter per distinct user with an e-mail address; return the rows."""
    rows, seen = [], set()
    for user in users:
        email = (getattr(user, "email", "") or "").strip()
        if not email or email.lower() in seen:
            continue
        seen.add(email.lower())
        rows.append(OutboxMail(topic=topic, to_email=email, subject=subject, body=body,
                               next_attempt_at=clock.now()))
    db.session.add_all(rows)
    db.session.flush()
    return rows


def next_due(exclude=()):
    """One pending letter due for an attempt that no other worker holds, locked; or None."""
    query = (select(OutboxMail).where(OutboxMail.status == "pending", OutboxMail.next_attempt_at <= clock.now())
             .order_by(OutboxMail.id).limit(1))
    if exclude:
        query = query.where(OutboxMail.id.not_in(list(exclude)))
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return db.session.scalars(query).first()


def mark_sent(row):
    row.status, row.sent_at = "sent", clock.now()
    row.attempts += 1
    db.session.flush()


def mark_skipped(row, reason):
    row.status, row.last_error = "skipped", reason
    db.session.flush()


def mark_failed(row, error):
    """Record a failed attempt: retried later with a doubling pause, then given up."""
    row.attempts += 1
    row.last_error = error[:2000]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
    else:
        row.next_attempt_at = clock.now() + RETRY_BASE * (2 ** (row.attempts - 1))
    db.session.flush()


def letters(topic=None):
    """Outbox rows (of one topic), oldest first."""
    query = select(OutboxMail).order_by(OutboxMail.id)
    if topic is not None:
        query = query.where(OutboxMail.topic == topic)
    return db.session.scalars(query).all()


def counts():
    """How many letters are in each state: pending, sent, failed, skipped."""
    return dict(db.session.execute(select(OutboxMail.status, func.count()).group_by(OutboxMail.status)).all())
