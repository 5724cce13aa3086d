"""Tables of logging in: server-side sessions and the login attempt counters."""
from engine.clock import utcnow
from engine.db import db


class UserSession(db.Model):
    """One logged-in browser: its cookie carries a random secret, only the secret's digest is kept.

    Deleting the row ends the session for good (logout, «log out everywhere»,
    deactivation): a saved cookie replayed later finds nothing.
    """

    __tablename__ = "user_sessions"

    id = db.Column(db.String(64), primary_key=True)  # sha256 of the cookie's secret
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_seen_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class LoginCounter(db.Model):
    """Login attempts of one account or one address in the current window (a row per key).

    Updated only by a single upsert statement, so concurrent attempts in any
    number of processes each see their own count.
    """

    __tablename__ = "login_counters"

    key = db.Column(db.String(120), primary_key=True)  # "account:<name>" or "address:<ip>"
    count = db.Column(db.Integer, nullable=False, default=0)
    window_start = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
