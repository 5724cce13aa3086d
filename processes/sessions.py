"""Server-side login sessions: opened at login, checked on every request, ended for good.

The browser's cookie holds a random secret; the table keeps its digest, the
user and when it was last seen. A request is let in only while the row exists,
the user is active and the session has not been idle too long, so a deactivated
user, a logout or «log out everywhere» takes effect at the very next request.
"""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select, update

from engine.clock import utcnow
from engine.db import db
from processes.login_models import UserSession
from processes.models import User

IDLE = timedelta(hours=12)
TOUCH_EVERY = timedelta(minutes=1)  # last_seen is written at most this often: no write per request


def digest(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def open_session(user):
    """Start a session for user and return its secret (for the cookie; only its digest is stored)."""
    secret = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=digest(secret), user_id=user.id))
    db.session.flush()
    user.session_secret = secret
    return secret


def resume(secret, idle=IDLE):
    """The active user of a live session, or None: unknown, ended, idle too long or user inactive.

    Role and active flag come from the user row as it is now, so a change
    applies to the next request.
    """
    if not secret or not isinstance(secret, str):
        return None
    key = digest(secret)
    row = db.session.execute(select(UserSession, User).join(User, User.id == UserSession.user_id)
                             .where(UserSession.id == key)).first()
    if row is None:
        return None
    record, user = row
    now = utcnow()
    if not user.active or record.last_seen_at < now - idle:
        _write(delete(UserSession).where(UserSession.id == key))
        return None
    if record.last_seen_at < now - TOUCH_EVERY:
        _write(update(UserSession).where(UserSession.id == key).values(last_seen_at=now))
    user.session_secret = secret
    return user


def _write(statement):
    """Run one statement in its own short transaction.

    Checking a session happens on every request, GETs included, which commit
    nothing; the touch of last_seen (or the removal of a dead session) must
    persist anyway and must not wait for, or be undone with, the request's work.
    """
    with db.engine.begin() as connection:
        connection.execute(statement)


def end(secret):
    """End one session (logout)."""
    if secret:
        db.session.execute(delete(UserSession).where(UserSession.id == digest(secret)))
        db.session.flush()


def end_all(user, keep=None):
    """End every session of user (but the one with secret ``keep``); return how many ended."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        query = query.where(UserSession.id != digest(keep))
    count = db.session.execute(query).rowcount
    db.session.flush()
    return count


def live_counts(idle=IDLE):
    """{user id: how many of their sessions are live (not idle past the limit)}."""
    rows = db.session.execute(select(UserSession.user_id, func.count()).where(
        UserSession.last_seen_at >= utcnow() - idle).group_by(UserSession.user_id))
    return dict(rows.all())
