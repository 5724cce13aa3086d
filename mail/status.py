"""What the worker holding the mailbox is doing, for the admin page: IDLE, polling every N s, reconnecting.

Stored in the settings table (one JSON row) by the worker itself, so the page of any web process can
show it; ``at`` says when the worker last wrote it (it writes again on every change and every `delay`).
"""
import os
import socket

from engine.clock import utcnow
from engine.db import db
from processes import settings

KEY = "mail-worker-status"
STATES = ("idle", "polling", "reconnecting")


def report(state, detail="", delay=None):
    """Store the worker's state now (and commit: the worker loop is the edge)."""
    value = {"state": state, "detail": detail[:500], "delay": delay, "at": utcnow().isoformat(timespec="seconds"),
             "worker": f"{socket.gethostname()}:{os.getpid()}"}
    settings.put(KEY, value)
    db.session.commit()
    return value


def current():
    """The last reported state as a dict (``at`` a naive UTC datetime), or None when no worker ever ran."""
    from datetime import datetime
    value = settings.get(KEY)
    if not value:
        return None
    return {**value, "at": datetime.fromisoformat(value["at"])}
