"""The worker's other jobs, run by the worker loop (``mail/watch.py``) every `delay`: fire due timers, remind
the owners of due activities, send the outbox, fold the board's running totals.

Each timer and each letter is one edge: done and committed alone, so a killed
worker loses at most the one in hand (its transaction rolls back and the next
pass does it again).
"""
import logging
import smtplib

from flask import current_app

from engine.db import db
from mail import smtp as smtp_client
from processes import activities, board, outbox, rotting, smtp
from processes.errors import Refusal
from tasks import timers

log = logging.getLogger("dealflow.worker")


def fire_due_timers(echo):
    """Fire every due timer once; return how many fired."""
    fired, failed = 0, set()
    for due in _each_due(timers.next_due, failed):
        try:
            fired_now = timers.fire(due)
            db.session.commit()
        except Refusal as exc:  # a refused timer must not stop the others
            db.session.rollback()
            failed.add(due.id)
            echo(f"timer {due.node_id} of instance {due.instance_id} failed: {exc}")
            continue
        fired += 1
        if fired_now.error:
            echo(f"timer {due.node_id} of instance {due.instance_id} fired; a task after it failed and waits "
                 f"for a retry: {fired_now.error}")
        else:
            echo(f"timer {due.node_id} of instance {due.instance_id} fired: {' '.join(fired_now.passed)}")
    return fired


def remind_due_activities(echo):
    """Queue one reminder per activity that fell due; return how many. Exactly once, also with several workers:
    ``activities.remind`` claims the reminder with one conditional UPDATE before queuing the letter."""
    reminded, seen = 0, set()
    for activity in _each_due(activities.next_due_reminder, seen):
        seen.add(activity.id)
        if activities.remind(activity):
            reminded += 1
            echo(f"activity {activity.id} reminded: {activity.owner.username}")
        db.session.commit()
    return reminded


def send_outbox(echo):
    """Send the due letters of the outbox (or mark them skipped while SMTP is off); return how many sent."""
    settings = smtp.effective(current_app.config)
    sent, tried = 0, set()
    for letter in _each_due(outbox.next_due, tried):
        tried.add(letter.id)
        if not smtp.enabled(settings):
            outbox.mark_skipped(letter, "SMTP is off")
        else:
            try:
                smtp_client.send(settings, letter)
                outbox.mark_sent(letter)
                sent += 1
                echo(f"mail {letter.topic} sent to {letter.to_email}")
            except (OSError, smtplib.SMTPException) as exc:
                outbox.mark_failed(letter, f"{type(exc).__name__}: {exc}")
                echo(f"mail {letter.topic} to {letter.to_email} failed: {type(exc).__name__}: {exc}")
        db.session.commit()
    return sent


def queue_rotting_digests(echo):
    """Each manager's morning digest of their rotting deals, once a day (nothing while SMTP is off)."""
    if not smtp.enabled(smtp.effective(current_app.config)):
        return 0
    queued = rotting.queue_digests(hour=current_app.config["ROT_DIGEST_HOUR"])
    db.session.commit()
    for letter in queued:
        echo(f"rotting digest queued for {letter.to_email}")
    return len(queued)


def _each_due(next_due, skipped):
    """Each due item in turn (``next_due(skipped)`` passes over those in ``skipped``); the read rolled back at the end."""
    while True:
        item = next_due(skipped)
        if item is None:
            db.session.rollback()
            return
        yield item


def run_jobs(echo):
    """One pass of the worker's own jobs; a failing job is reported and the others still run."""
    for job in JOBS:
        try:
            job(echo)
        except Exception as exc:  # the worker outlives a broken job (database restart, bad setting)
            db.session.rollback()
            log.exception("worker job %s failed", job.__name__)
            echo(f"{job.__name__} failed: {type(exc).__name__}: {exc}")


def fold_board_totals(echo):
    """Fold the board's running totals (``processes.board.fold_totals``): its headers then read a few rows."""
    return board.fold_totals()


JOBS = (fire_due_timers, remind_due_activities, queue_rotting_digests, send_outbox, fold_board_totals)

