"""Live workflows of recently committed instances, keyed by (id, version).

Deserializing a workflow is a large part of a move. After a commit, the
workflow object that produced the stored state *is* that state, so it is kept
here and handed to the next load of the same (id, version). An entry enters
the cache only after its transaction commits (a rolled-back save never
becomes visible), a load takes the entry out (two loaders never share one
object), and since every write bumps the version column, a row whose version
differs from the entry's was changed elsewhere and the entry is not used.
"""
import threading
from collections import OrderedDict

from sqlalchemy import event
from sqlalchemy.orm import Session

_PENDING = "engine.pending_workflows"
_lock = threading.Lock()
_entries = OrderedDict()
SIZE = 256


def take(instance_id, version):
    """What was cached for (id, version) — (workflow, its ready tasks) — removed from the cache, or None."""
    with _lock:
        return _entries.pop((instance_id, version), None)


def stage(session, instance_id, version, workflow, ready):
    """Remember a saved workflow and its ready tasks; they are cached when the session commits."""
    session.info.setdefault(_PENDING, {})[instance_id] = (version, (workflow, ready))


def clear():
    with _lock:
        _entries.clear()


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    with _lock:
        for instance_id, (version, entry) in pending.items():
            _entries[(instance_id, version)] = entry
            _entries.move_to_end((instance_id, version))
        while len(_entries) > SIZE:
            _entries.popitem(last=False)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session):
    session.info.pop(_PENDING, None)
