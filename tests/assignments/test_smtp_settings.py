"""The admin's outgoing mail page: off by default, admins only, CSRF, the password never shown back,
and the worker sending the outbox with what the page stored (to a real SMTP server on loopback)."""
import re

import pytest
from flask import g

from engine.db import db
from processes import outbox, settings, smtp

PASSWORD = "S3cret-smtp-pass"


def login(client, username):
    g.pop("_login_user", None)  # the fixtures' open app context would lend the last user to this client
    r = client.post("/login", data={"username": username, "password": "secret123"})
    assert r.status_code in (302, 303), r.data


def form(port, **changes):
    values = {"enabled": "1", "host": "127.0.0.1", "port": str(port), "security": "none", "username": "",
              "password": "", "sender": "CRM <crm@example.test>"}
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def stored():
    db.session.expire_all()
    return settings.get(smtp.SETTING)


def test_off_by_default(app):
    with app.app_context():
        assert smtp.effective(app.config)["enabled"] is False and not smtp.enabled(smtp.effective(app.config))


@pytest.mark.parametrize("username", ["manager", "director", "analyst"])
def test_only_admins_open_or_save_the_page(client, people, username):
    login(client, username)
    assert client.get("/admin/smtp").status_code == 403
    assert client.post("/admin/smtp", data=form(25)).status_code == 403
    assert client.post("/admin/smtp/test", data={"to": "a@example.test"}).status_code == 403
    assert stored() is None
    assert 'id="nav-smtp"' not in client.get("/tasks").get_data(as_text=True)


def test_anonymous_is_sent_to_the_login_page(app, people):
    g.pop("_login_user", None)
    r = app.test_client().get("/admin/smtp")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_a_save_without_the_csrf_token_is_refused(app, client, people):
    login(client, "admin")
    app.config["WTF_CSRF_ENABLED"] = True  # on, as in production
    r = client.post("/admin/smtp", data=form(25, password=PASSWORD))
    assert r.status_code == 400 and stored() is None
    page = client.get("/admin/smtp").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/admin/smtp", data=form(25, csrf_token=token)).status_code == 302
    assert stored()["enabled"] is True


def test_the_password_is_never_shown_back_kept_on_a_blank_save_and_forgotten_on_request(client, people):
    login(client, "admin")
    page = client.get("/admin/smtp").get_data(as_text=True)
    assert 'id="nav-smtp"' in page and "Отправка писем" in page and "SMTP-сервер" in page
    assert 'id="smtp-enabled" ' in page and 'id="smtp-enabled" checked' not in page  # off by default

    assert client.post("/admin/smtp", data=form(2525, username="crm", password=PASSWORD)).status_code == 302
    page = client.get("/admin/smtp").get_data(as_text=True)
    assert PASSWORD not in page and "сохранён; оставьте пустым" in page and 'value="crm"' in page
    assert stored()["password"] == PASSWORD and stored()["port"] == 2525

    client.post("/admin/smtp", data=form(2526, username="crm"))  # password left blank: kept
    assert (stored()["password"], stored()["port"]) == (PASSWORD, 2526)
    client.post("/admin/smtp", data=form(2526, username="crm", forget_password="1"))
    assert stored()["password"] == ""
    assert "сохранён; оставьте пустым" not in client.get("/admin/smtp").get_data(as_text=True)


def test_wrong_values_are_refused_field_by_field(client, people):
    login(client, "admin")
    r = client.post("/admin/smtp", data=form(70000, host="", sender="не адрес", password=PASSWORD))
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and stored() is None
    assert "обязательно, когда отправка включена" in page and "номер порта от 1 до 65535" in page
    assert PASSWORD not in page
    assert client.post("/admin/smtp", data=form(25, enabled=None, host="")).status_code == 302  # off: no host needed


def test_the_worker_sends_with_the_stored_settings_and_skips_while_they_are_off(app, client, people, api, deal,
                                                                                dealflow, smtp_server):
    for user in people.values():
        user.email = f"{user.username}@example.test"
    db.session.commit()
    login(client, "admin")
    client.post("/admin/smtp", data=form(smtp_server.port, enabled=None))  # stored, but off
    api.create(deal, title="Пока без почты")
    dealflow("worker", "--once")
    assert [m.status for m in outbox.letters()] == ["skipped"] and smtp_server.letters == []

    client.post("/admin/smtp", data=form(smtp_server.port))
    api.create(deal, title="Уже с почтой")
    dealflow("worker", "--once")
    db.session.expire_all()
    assert [m.status for m in outbox.letters()] == ["skipped", "sent"]
    [letter] = smtp_server.to("manager2@example.test")
    assert "Уже с почтой" in letter


def test_the_environment_wins_and_the_page_says_so(app, client, people):
    app.config.update(SMTP_HOST="smtp.env.example", SMTP_ENABLED=False)
    login(client, "admin")
    client.post("/admin/smtp", data=form(25))
    page = client.get("/admin/smtp").get_data(as_text=True)
    assert 'id="smtp-overrides"' in page and "enabled, host" in page
    effective = smtp.effective(app.config)
    assert (effective["host"], effective["enabled"]) == ("smtp.env.example", False)
    app.config.pop("SMTP_ENABLED")
    assert smtp.enabled(smtp.effective(app.config))  # a host from the environment turns sending on


def test_the_test_letter_reaches_the_server_or_says_why_not(client, people, smtp_server):
    login(client, "admin")
    page = client.post("/admin/smtp/test", data={"to": "admin@example.test"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Проверочное письмо не отправлено" in page  # no host yet
    client.post("/admin/smtp", data=form(smtp_server.port, enabled=None))
    page = client.post("/admin/smtp/test", data={"to": "admin@example.test"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Проверочное письмо отправлено на admin@example.test" in page
    assert len(smtp_server.to("admin@example.test")) == 1
