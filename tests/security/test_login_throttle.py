"""Login throttling per account and per address, atomic under concurrency, blind to which names exist."""
import threading

import pytest

from engine.db import db
from processes import models, throttle, users
from tests.web.conftest import staff  # noqa: F401  (fixture)

ACCOUNT_LIMIT = 5  # failed logins of one account in 15 minutes (throttle.ACCOUNT_LIMIT)


def _post(client, username, password, address="10.1.1.1"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}).status_code


def test_a_locked_account_does_not_lock_others_from_the_address(client, staff):
    for _ in range(ACCOUNT_LIMIT):
        assert _post(client, "manager", "nope") == 401
    assert _post(client, "manager", "secret123") == 429  # locked: the right password does not help now
    assert _post(client, "Manager ", "secret123") == 429  # nor another spelling of the name
    assert _post(app_client(client), "director", "secret123") == 302  # same address, another account
    for _ in range(20):  # hammering the locked account costs the address nothing
        assert _post(client, "manager", "nope") == 429
    assert _post(app_client(client), "director", "secret123") == 302


def app_client(client):
    return client.application.test_client()


def test_an_address_has_its_own_larger_limit(client, staff, monkeypatch):
    monkeypatch.setattr(throttle, "ADDRESS_LIMIT", 8)
    for n in range(8):  # a different name each time: no account reaches its limit
        assert _post(client, f"guess{n}", "nope") == 401
    assert _post(client, "director", "secret123") == 429
    assert _post(app_client(client), "director", "secret123", address="10.2.2.2") == 302


def test_a_successful_login_gives_back_its_tickets(client, staff, monkeypatch):
    monkeypatch.setattr(throttle, "ADDRESS_LIMIT", 9)
    for _ in range(12):  # an office logging in all morning through one address is never locked
        assert _post(app_client(client), "manager2", "secret123") == 302
    for _ in range(2):  # a success clears the account's failures
        for _ in range(ACCOUNT_LIMIT - 1):
            assert _post(client, "manager", "nope") == 401
        assert _post(app_client(client), "manager", "secret123") == 302
    assert _post(client, "director", "nope") == 401  # but the address's failures stay counted: 9 of 9
    assert _post(client, "director", "secret123") == 429


def _race(app, attempts):
    """`attempts` wrong guesses for one account at once, each in its own app context and connection."""
    checked, start = [], threading.Barrier(attempts)

    def guess():
        with app.app_context():
            start.wait()
            try:
                throttle.login("manager", "wrong", "10.9.9.9")
                checked.append(1)
            except throttle.Throttled:
                pass
            finally:
                db.session.remove()

    threads = [threading.Thread(target=guess) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return len(checked)


def test_concurrent_guesses_check_at_most_the_limit(app, staff, monkeypatch):
    """On the suite's database (SQLite, or PostgreSQL when DATABASE_URL names it)."""
    _guesses_check_at_most_the_limit(app, monkeypatch)


@pytest.mark.pg
def test_concurrent_guesses_check_at_most_the_limit_on_postgresql(app, staff, monkeypatch):
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
    _guesses_check_at_most_the_limit(app, monkeypatch)


def _guesses_check_at_most_the_limit(app, monkeypatch):
    calls = []
    real = users.authenticate
    monkeypatch.setattr(users, "authenticate", lambda *args: calls.append(1) or real(*args))
    assert _race(app, 30) == ACCOUNT_LIMIT
    assert len(calls) == ACCOUNT_LIMIT  # the password was checked only that often


def test_unknown_and_known_names_cost_the_same_password_check(ctx, monkeypatch):
    users.create_user("anna", "manager", "secret123")
    quiet, _ = users.create_user("boris", "manager", "secret123")
    quiet.active = False
    db.session.flush()
    checked = []
    real = models.check_password_hash

    def spy(stored, password):
        checked.append(stored.split("$")[0])  # the method and its cost, e.g. scrypt:32768:8:1
        return real(stored, password)

    monkeypatch.setattr(models, "check_password_hash", spy)
    monkeypatch.setattr(users, "check_password_hash", spy, raising=False)
    for name in ("anna", "nobody", "boris"):
        checked.clear()
        assert users.authenticate(name, "wrong") is None
        assert checked == [users.get_by_username("anna").password_hash.split("$")[0]], name
