"""Cross-process locks: one worker at a time per named job (a mailbox), on PostgreSQL advisory locks."""
import hashlib
from contextlib import contextmanager

from sqlalchemy import text

from engine.db import db


def lock_id(name):
    """A signed 64-bit advisory-lock key for a name, the same in every process."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big", signed=True)


@contextmanager
def exclusive(name):
    """Yield True when this process holds the lock named ``name``, False when another one does.

    On PostgreSQL a session-level advisory lock on its own connection: it
    outlives the per-letter commits of the session and vanishes with the
    process if it is killed. SQLite serialises writers itself and the unique
    Message-ID keeps letters single, so there it simply runs.
    """
    if db.engine.dialect.name != "postgresql":
        yield True
        return
    key = lock_id(name)
    with db.engine.connect() as conn:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
        conn.commit()
        try:
            yield bool(got)
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                conn.commit()
