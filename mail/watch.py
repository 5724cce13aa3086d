"""``dealflow worker``: hold the mailbox with IMAP IDLE (or poll it every `delay`), run the other jobs between.

One thread, no threads to coordinate: IDLE waits in slices of at most ``SLICE`` seconds, and between
two slices the app's other jobs (due timers, the outbox) run when due, every `delay`. A letter the
server announces is handled at once; the IDLE is renewed every ``MAIL_IDLE_RENEW`` seconds (servers
drop an IDLE after ~30 min); a dropped connection is reconnected with a growing pause
(``MAIL_RECONNECT_MIN`` … ``MAIL_RECONNECT_MAX``) and its first pass handles what arrived meanwhile. A
server without IDLE (or ``MAIL_IDLE=false``) is polled every `delay`. One worker per mailbox holds it
(``processes.locks``, for as long as its connection lives); others stand by and try again every `delay`.
"""
import imaplib
import logging
import time
from contextlib import suppress

from flask import current_app
from imap_tools.errors import ImapToolsError
from sqlalchemy.exc import SQLAlchemyError

from engine.db import db

from mail import idle, imap, jobs, poller, status
from mail.mailbox import DEFAULT_DELAY
from processes import locks

log = logging.getLogger("dealflow.mail")
SLICE = 1.0  # seconds: the longest the other jobs or a changed setting wait for an idling worker
RENEW = 25 * 60  # seconds: under the 29 minutes RFC 2177 allows an IDLE
BACKOFF = (1.0, 60.0)  # seconds: the first and the longest pause before reconnecting


class Worker:
    """The loop of one worker process; ``passes`` stops it after that many passes over the mailbox (tests)."""

    def __init__(self, echo, passes=None, cafile=None):
        config = current_app.config
        self.echo, self.passes, self.done = echo, passes, 0
        self.cafile = cafile or config.get("MAIL_CA_FILE")
        self.use_idle = bool(config.get("MAIL_IDLE", True))
        self.renew = float(config.get("MAIL_IDLE_RENEW", RENEW))
        self.backoff = (float(config.get("MAIL_RECONNECT_MIN", BACKOFF[0])),
                        float(config.get("MAIL_RECONNECT_MAX", BACKOFF[1])))
        self.delay = DEFAULT_DELAY
        self.jobs_due = 0.0  # monotonic time the other jobs run next
        self.url = None
        self.reported = None

    def finished(self):
        return self.passes is not None and self.done >= self.passes

    def run(self):
        pause = self.backoff[0]
        while not self.finished():
            self.run_jobs()
            try:
                box = poller.configured_mailbox()
                self.url = poller.configured_url()
                self.jobs_due = min(self.jobs_due, time.monotonic() + box.delay)  # a shorter delay counts now
                self.delay = box.delay
                for warning in box.warnings:
                    self.echo(f"warning: {warning}")
                with locks.exclusive("mailbox:" + box.key) as mine:
                    if not mine:
                        self.echo(f"mailbox {box.key} is being polled by another worker: standing by")
                        self.done += 1
                        self.wait(self.delay)
                        continue
                    client = imap.connect(box, cafile=self.cafile)
                    pause = self.backoff[0]
                    try:
                        self.serve(client, box)
                    finally:
                        _logout(client)
            except Exception as exc:  # the worker outlives a bad pass (server down, dropped, bad setting)
                db.session.rollback()
                log.exception("poll failed")
                reason = f"{type(exc).__name__}: {exc}"
                self.echo(f"poll failed: {reason}")
                self.done += 1
                if self.finished():
                    return
                self.report("reconnecting", f"{reason} (next try in {pause:g} s)")
                self.wait(pause)
                pause = min(pause * 2, self.backoff[1])

    def serve(self, client, box):
        """Pass after pass on one connection: drain the mailbox, then wait for news (IDLE) or `delay`."""
        pushed = self.use_idle and idle.supported(client)
        while True:
            self.report("idle" if pushed else "polling", "" if pushed or not self.use_idle else "no IDLE")
            idle.announced(client)  # this pass searches anyway: older news is moot
            poller.drain(client, box, self.echo)
            db.session.rollback()  # end the pass's reads: no transaction stays open while the worker waits
            self.done += 1
            if self.finished() or self.moved():
                return
            if pushed:
                if not idle.announced(client):  # else a letter came during the pass: go again at once
                    self.idle(client)
            else:
                self.wait(box.delay)
                client.client.noop()  # a dead connection shows here, before the next pass counts on it

    def idle(self, client):
        """IDLE until the server announces a letter, the renewal is due or the mailbox setting changed."""
        renew_at = time.monotonic() + self.renew
        idle.start(client)
        while time.monotonic() < renew_at:
            if idle.wait(client, min(SLICE, max(renew_at - time.monotonic(), 0.0))):
                break
            if self.run_jobs() and self.moved():
                break
        idle.stop(client)

    def wait(self, seconds):
        """Sleep in slices, running the other jobs when due."""
        until = time.monotonic() + seconds
        while (left := until - time.monotonic()) > 0:
            time.sleep(min(SLICE, left))
            self.run_jobs()

    def run_jobs(self):
        """Run the app's other jobs if due (every `delay`); True when they ran."""
        now = time.monotonic()
        if now < self.jobs_due:
            return False
        self.jobs_due = now + self.delay
        jobs.run_jobs(self.echo)  # due timers, the outbox; each job reports its own failures
        if self.reported:
            self.report(*self.reported, heartbeat=True)
        return True

    def moved(self):
        """Whether the mailbox setting changed since the connection was opened (then reconnect)."""
        url = poller.configured_url()
        db.session.rollback()
        return url != self.url

    def report(self, state, detail="", heartbeat=False):
        """Tell the admin page (on a change, and every `delay` as a heartbeat)."""
        if (state, detail) != self.reported or heartbeat:
            try:
                status.report(state, detail, self.delay)
            except SQLAlchemyError:  # the database is away: the mail loop goes on, the page shows the last word
                db.session.rollback()
                log.exception("cannot store the worker's status")
                return
            self.reported = (state, detail)


def _logout(client):
    """Log out; imaplib closes the socket even when the server is gone, and then there is no BYE to expect."""
    with suppress(OSError, imaplib.IMAP4.error, ImapToolsError):
        client.logout()


def run_worker(echo, passes=None, cafile=None):
    """Run the worker until killed (or for ``passes`` passes)."""
    Worker(echo, passes, cafile).run()
