"""The mailbox password is never printed, logged or shown back, whatever fails and whichever URL form holds it."""
import logging

import pytest

from engine.db import db
from processes import settings
from tests.mail.dovecot import HOST, free_port

SECRET = "Wr0ng-Pa55-7731"


def urls(account, dovecot):
    """(what fails, URL) pairs: a wrong password, a closed port, a name no DNS knows; both URL forms."""
    closed = free_port()
    user = account.user.replace("@", "%40")
    return [
        ("login", f"imaps://{HOST}:{dovecot.imaps_port}?username={account.user}&password={SECRET}&delay=1s"),
        ("login", f"imaps://{user}:{SECRET}@{HOST}:{dovecot.imaps_port}?delay=1s"),
        ("refused", f"imap://{user}:{SECRET}@{HOST}:{closed}?delay=1s"),
        ("refused", f"imap://{HOST}:{closed}?username={account.user}&password={SECRET}&delay=1s"),
        ("dns", f"imaps://{user}:{SECRET}@imap.nonexistent.invalid?delay=1s"),
    ]


@pytest.fixture
def everything_logged(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def test_failed_polls_and_checks_never_log_or_print_the_password(app, account, dovecot, dealflow, client, people,
                                                                 everything_logged):
    app.config["MAIL_CA_FILE"] = dovecot.cafile
    account.append(b"Subject: hi\r\nMessage-ID: <s@x>\r\n\r\nhi")
    client.post("/login", data={"username": "admin", "password": "secret123"})
    for reason, url in urls(account, dovecot):
        app.config["MAIL_INBOX_CRM"] = url
        outputs = [dealflow("mail", "poll", "--once"), dealflow("mail", "check"), dealflow("worker", "--passes", "1")]
        assert [r.exit_code for r in outputs] == [1, 3, 0], [r.output for r in outputs]
        assert outputs[1].output.startswith(f"Error: {reason}:"), outputs[1].output
        assert "poll failed" in outputs[2].output
        page = client.post("/admin/mail/check", follow_redirects=True).get_data(as_text=True)
        for text in [r.output for r in outputs] + [page]:
            assert SECRET not in text, (url, text)
    # The worker logged every failure with its traceback, and never the password.
    failures = [r for r in everything_logged.records if r.getMessage() == "poll failed"]
    assert len(failures) == 5 and all(r.exc_info for r in failures)
    assert "MailboxLoginError" in everything_logged.text and "ConnectionRefusedError" in everything_logged.text
    assert SECRET not in everything_logged.text


def test_a_stored_url_with_the_password_in_the_userinfo_is_masked_on_the_page(app, account, dovecot, client,
                                                                              people):
    with app.app_context():
        settings.put(settings.MAILBOX, urls(account, dovecot)[1][1])
        db.session.commit()
    client.post("/login", data={"username": "admin", "password": "secret123"})
    page = client.get("/admin/mail").get_data(as_text=True)
    assert SECRET not in page and ":***@" in page
