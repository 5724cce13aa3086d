"""The admin's mail page: the password never comes back, the check says what failed, failures are listed."""
from engine.db import db
from processes import settings
from processes.quarantine import record_failure


def login(client, username):
    response = client.post("/login", data={"username": username, "password": "secret123"})
    assert response.status_code in (302, 303), response.data[:300]


def test_only_admins_see_the_page(client, people):
    login(client, "manager")
    assert client.get("/admin/mail").status_code == 403


def test_the_password_is_never_shown_back_and_survives_a_save(app, client, people):
    login(client, "admin")
    url = "imaps://imap.example.ru?username=crm@example.ru&password=S3cret-pass&delay=30s"
    assert client.post("/admin/mail", data={"url": url, "labels": "", "rules": "демо = Запрос демо",
                                            "guard_letters": "20", "guard_hours": "2"}).status_code == 302
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "S3cret-pass" not in page and "password=***" in page
    masked = url.replace("S3cret-pass", "***")
    client.post("/admin/mail", data={"url": masked, "labels": "phone: Тел", "rules": "", "guard_letters": "5",
                                     "guard_hours": "1"})
    with app.app_context():
        assert settings.get(settings.MAILBOX) == url
        assert settings.get(settings.SITE_LABELS) == {"phone": ["Тел"]}
        assert settings.get(settings.LOOP_GUARD) == {"letters": 5, "hours": 1.0}


def test_a_bad_url_is_refused_naming_the_part(client, people):
    login(client, "admin")
    response = client.post("/admin/mail", data={"url": "imaps://h?password=x", "labels": "", "rules": ""})
    assert response.status_code == 422 and "mail-inbox-crm.username" in response.get_data(as_text=True)


def test_the_check_button_says_what_failed(app, client, people, account, dovecot):
    app.config["MAIL_CA_FILE"] = dovecot.cafile
    with app.app_context():
        settings.put(settings.MAILBOX, account.url().replace("password=secret", "password=wrong"))
        db.session.commit()
    login(client, "admin")
    page = client.post("/admin/mail/check", follow_redirects=True).get_data(as_text=True)
    assert "AUTHENTICATIONFAILED" in page and "wrong" not in page


def test_quarantined_letters_are_listed(app, client, people):
    with app.app_context():
        failure = record_failure("<x@y>", "OperationalError: refused", b"raw", "box", "Заявка 7", "a@b.ru")
        failure.attempts, failure.quarantined = 5, True
        db.session.commit()
    login(client, "admin")
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "Заявка 7" in page and "OperationalError: refused" in page


def test_the_page_speaks_russian(client, people):
    login(client, "admin")
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "Проверить подключение" in page and "Приём писем" in page
