"""Poll a mailbox: one worker at a time, each letter handled and committed before it is flagged."""
import logging
import time
from dataclasses import dataclass, field

from flask import current_app

from mail import imap
from mail.handling import handle, quarantined, site_labels
from mail.mailbox import parse_url
from processes import locks, settings
from processes.errors import ValidationError

log = logging.getLogger("dealflow.mail")
FLAG_BATCH = 100  # a crash before the flag only costs a duplicate check on the next poll


@dataclass
class Pass:
    """What one poll did: a line per letter, and whether another worker held the mailbox."""

    busy: bool = False
    lines: list = field(default_factory=list)
    failures: int = 0


def configured_url():
    """The mailbox URL: DEALFLOW_MAIL_INBOX_CRM wins over the admin setting."""
    return current_app.config.get("MAIL_INBOX_CRM") or settings.get(settings.MAILBOX) or ""


def configured_mailbox():
    url = configured_url()
    if not url:
        raise ValidationError({settings.MAILBOX: "not set: give it on the settings page "
                                                 "or as DEALFLOW_MAIL_INBOX_CRM"})
    return parse_url(url)


def poll_once(box, echo=None, cafile=None):
    """Handle every pending letter of the mailbox once; returns a Pass."""
    echo = echo or (lambda line: None)
    result = Pass()
    with locks.exclusive("mailbox:" + box.key) as mine:
        if not mine:
            result.busy = True
            echo(f"mailbox {box.key} is being polled by another worker")
            return result
        labels = site_labels()
        client = imap.connect(box, cafile=cafile or current_app.config.get("MAIL_CA_FILE"))
        done = []  # committed but not yet flagged: flagged in batches, always after their commits
        try:
            for uid, raw in imap.fetch(client, imap.pending_uids(client, box)):
                outcome = handle(raw, box.key, labels)
                if outcome.ok:
                    done.append(uid)
                else:
                    result.failures += 1
                    if outcome.quarantine:
                        imap.move(client, uid, box.quarantine)
                        quarantined(outcome)
                line = f"uid {uid}: {outcome}"
                result.lines.append(line)
                echo(line)
                if len(done) >= FLAG_BATCH:
                    imap.mark_done(client, box, done)
                    done = []
            imap.mark_done(client, box, done)
        finally:
            client.logout()
    return result


def run_worker(echo, passes=None, cafile=None):
    """Poll forever (or ``passes`` times), pausing the mailbox's delay between polls."""
    done = 0
    while passes is None or done < passes:
        delay = 60.0
        for job in current_app.extensions.get("dealflow.worker_jobs", ()):
            job(echo)  # jobs the app wires in (due timers, the outbox); each reports its own failures
        try:
            box = configured_mailbox()
            delay = box.delay
            for warning in box.warnings:
                echo(f"warning: {warning}")
            poll_once(box, echo, cafile)
        except Exception as exc:  # the worker outlives a bad poll (server down, bad setting)
            log.exception("poll failed")
            echo(f"poll failed: {type(exc).__name__}: {exc}")
        done += 1
        if passes is None or done < passes:
            time.sleep(delay)
