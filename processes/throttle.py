"""Login throttling, per account and per address, counted atomically across processes.

Each attempt first takes a numbered ticket for its account and for its address
with one upsert each (``INSERT … ON CONFLICT DO UPDATE … RETURNING count``);
only then, and only while both counts are within their limits, is the password
checked. However many guesses arrive at once, from however many workers, at
most ``ACCOUNT_LIMIT`` of them for one account are ever checked in a window.

An account's limit is small (guessing one password); an address's is larger
(many people behind one office proxy). A locked account is refused without
costing its address anything, so it does not lock anyone else out; a
successful login gives back its tickets.
"""
from datetime import timedelta

from sqlalchemy import case, delete, update
from sqlalchemy.dialects import postgresql, sqlite

from engine.clock import utcnow
from engine.db import db
from processes import users
from processes.errors import Throttled
from processes.login_models import LoginCounter

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 50


def account_key(username):
    return "account:" + (username or "").strip().lower()[:100]


def address_key(address):
    return "address:" + (address or "")[:100]


def login(username, password, address):
    """The user for these credentials, None when they are wrong; Throttled after too many failures."""
    username = (username or "").strip()
    account, place = account_key(username), address_key(address)
    if take_ticket(account) > ACCOUNT_LIMIT:
        raise Throttled(f"too many failed logins for this account; wait {minutes()} minutes")
    if take_ticket(place) > ADDRESS_LIMIT:
        give_back(account)  # never checked: the account's own allowance is not spent
        raise Throttled(f"too many failed logins from this address; wait {minutes()} minutes")
    user = users.authenticate(username, password)
    if user is None:
        forget_expired()
    else:
        _write(delete(LoginCounter).where(LoginCounter.key == account))
        give_back(place)
    return user


def minutes():
    return int(WINDOW.total_seconds() // 60)


def take_ticket(key):
    """Count one attempt for key (a new window once the old one is over) and return the count."""
    now = utcnow()
    expired = LoginCounter.window_start < now - WINDOW
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    statement = insert(LoginCounter).values(key=key, count=1, window_start=now).on_conflict_do_update(
        index_elements=[LoginCounter.key],
        set_={"count": case((expired, 1), else_=LoginCounter.count + 1),
              "window_start": case((expired, now), else_=LoginCounter.window_start)},
    ).returning(LoginCounter.count)
    return _write(statement)


def give_back(key):
    _write(update(LoginCounter).where(LoginCounter.key == key, LoginCounter.count > 0)
           .values(count=LoginCounter.count - 1))


def forget_expired():
    """Drop the counters of windows long over (names tried once, addresses gone)."""
    _write(delete(LoginCounter).where(LoginCounter.window_start < utcnow() - WINDOW))


def _write(statement):
    """Run one statement in its own transaction, committed at once.

    An attempt must count even when the request that made it is refused and
    rolled back, and the counter row must not stay locked while a password hash
    is being checked: every other login of the same office would queue behind it.
    """
    with db.engine.begin() as connection:
        result = connection.execute(statement)
        return result.scalar_one() if result.returns_rows else None
