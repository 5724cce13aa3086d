"""The session cookie: Secure over HTTPS (directly or behind a trusted proxy), a lifetime; proxies counted."""
from datetime import datetime, timedelta, timezone

import pytest

from engine.db import db
from processes import throttle
from tests.web.conftest import staff  # noqa: F401  (fixture)
from web import create_app

LOGIN = {"username": "manager", "password": "secret123"}


def _session_cookie(response):
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_the_cookie_is_secure_over_https_only(app, staff):
    over_https = app.test_client().post("/login", data=LOGIN, base_url="https://localhost")
    assert over_https.status_code == 302 and "Secure" in _session_cookie(over_https)
    over_http = app.test_client().post("/login", data=LOGIN)
    assert over_http.status_code == 302 and "Secure" not in _session_cookie(over_http)


def test_a_setting_makes_the_cookie_always_secure(app, staff):
    app.config["SESSION_COOKIE_SECURE"] = True
    assert "Secure" in _session_cookie(app.test_client().post("/login", data=LOGIN))


def test_the_cookie_lasts_as_long_as_the_idle_limit(app, staff):
    response = app.test_client().post("/login", data=LOGIN)
    expires = datetime.strptime(_session_cookie(response).split("Expires=")[1].split(";")[0],
                                "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=timezone.utc)
    assert abs(expires - datetime.now(timezone.utc) - timedelta(hours=12)) < timedelta(minutes=5)
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)


def test_the_idle_hours_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("DEALFLOW_SESSION_IDLE_HOURS", "1.5")
    made = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}", "SECRET_KEY": "x"})
    assert made.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=1.5)


@pytest.fixture
def proxied(app, staff):
    """The same database served by an app that trusts one reverse proxy in front of it."""
    made = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "TESTING": True,
                       "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False, "BPMN_DIR": app.config["BPMN_DIR"],
                       "TRUSTED_PROXIES": 1})
    yield made
    with made.app_context():
        db.session.remove()
        db.engine.dispose()


def _via_proxy(app, client_address, password="nope", proto="http"):
    return app.test_client().post("/login", data={"username": f"guess-{client_address}", "password": password},
                                  environ_base={"REMOTE_ADDR": "192.168.0.1"},
                                  headers={"X-Forwarded-For": client_address, "X-Forwarded-Proto": proto})


def test_a_trusted_proxy_names_the_client_address(proxied, monkeypatch):
    monkeypatch.setattr(throttle, "ADDRESS_LIMIT", 3)
    for _ in range(3):
        assert _via_proxy(proxied, "203.0.113.5").status_code == 401
    assert _via_proxy(proxied, "203.0.113.5").status_code == 429
    assert _via_proxy(proxied, "203.0.113.6").status_code == 401  # another person behind the same proxy


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(app, staff, monkeypatch):
    monkeypatch.setattr(throttle, "ADDRESS_LIMIT", 3)
    for n in range(3):
        assert _via_proxy(app, f"203.0.113.{n}").status_code == 401
    assert _via_proxy(app, "203.0.113.99").status_code == 429  # a forged X-Forwarded-For buys nothing
    response = app.test_client().post("/login", data=LOGIN, environ_base={"REMOTE_ADDR": "192.168.0.2"},
                                      headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in _session_cookie(response)


def test_behind_a_trusted_proxy_announcing_https_the_cookie_is_secure(proxied):
    response = proxied.test_client().post("/login", data=LOGIN, headers={"X-Forwarded-Proto": "https",
                                                                         "X-Forwarded-For": "203.0.113.7"})
    assert response.status_code == 302 and "Secure" in _session_cookie(response)
