"""Login throttling: too many failed logins for a name or an address are refused for a while.

Failures live in the database so every worker process of the server sees them.
"""
from datetime import timedelta

from sqlalchemy import delete, func, select

from engine.db import db
from engine.models import utcnow
from processes import users
from processes.errors import DomainError

WINDOW = timedelta(minutes=15)
LIMIT = 5


class LoginFailure(db.Model):
    __tablename__ = "login_failures"

    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(100), nullable=False, index=True)
    address = db.Column(db.String(100), nullable=False, index=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)


def is_blocked(username, address, limit=LIMIT):
    """Whether recent failures for this username or address reached the limit."""
    since = utcnow() - WINDOW
    for column, value in ((LoginFailure.username, username.lower()), (LoginFailure.address, address)):
        count = db.session.scalar(select(func.count()).where(column == value, LoginFailure.at >= since))
        if count >= limit:
            return True
    return False


def record_failure(username, address):
    db.session.add(LoginFailure(username=username.lower()[:100], address=address[:100]))
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - WINDOW))
    db.session.flush()


def clear(username):
    """Forget a name's failures after a successful login (the address keeps its count)."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == username.lower()))
    db.session.flush()


class Throttled(DomainError):
    """Too many failed logins: try again later."""


def login(username, password, address):
    """The user for these credentials, None when they are wrong; Throttled after too many failures."""
    username = (username or "").strip()
    if is_blocked(username, address):
        raise Throttled(f"too many failed logins; wait {int(WINDOW.total_seconds() // 60)} minutes")
    user = users.authenticate(username, password)
    if user is None:
        record_failure(username, address)
    else:
        clear(username)
    return user
