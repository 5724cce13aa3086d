"""The engine's clock: wall time, optionally shifted, shared with SpiffWorkflow's timers.

SpiffWorkflow compares timers with ``datetime.now`` read inside its timer
module, so a test could only see a 14-day timer fire by waiting 14 days. The
engine owns time instead: the timer module reads this clock, and ``shifted``
moves it (per thread) so tests can create a record "two days ago" and let a
worker on the real clock find its timers due.
"""
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

from SpiffWorkflow.bpmn.specs.event_definitions import timer as _timer_module

_state = threading.local()


def offset():
    return getattr(_state, "offset", timedelta(0))


def utcnow():
    """The wall time as a naive UTC datetime (how the database stores times): when a row was written.

    Never shifted: sessions, login counters and history entries are stamped with the real time.
    """
    return datetime.now(timezone.utc).replace(tzinfo=None)


def now():
    """The engine clock: ``utcnow`` moved by ``shifted`` in this thread (timers, due dates, the outbox)."""
    return utcnow() + offset()


@contextmanager
def shifted(delta):
    """Run the block with the clock moved by ``delta`` (a timedelta) in this thread."""
    previous = offset()
    _state.offset = previous + delta
    try:
        yield
    finally:
        _state.offset = previous


class _EngineDatetime(datetime):
    """``datetime`` whose ``now`` follows the engine clock; everything else unchanged."""

    @classmethod
    def now(cls, tz=None):
        return datetime.now(tz) + offset()


# Installed once when the engine loads: SpiffWorkflow's timers read the engine clock.
_timer_module.datetime = _EngineDatetime
