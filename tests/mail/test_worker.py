"""The worker command, the mailbox lock between workers and «Проверить подключение»."""
import pytest
from sqlalchemy import text

from engine.db import db
from mail.check import check_connection
from processes import locks, settings
from tests.mail.dovecot import free_port
from tests.mail.test_poll import deal_count, letter


def test_worker_polls_and_reports_each_letter(mail_app, account, dealflow):
    account.append(letter(1), letter(2))
    result = dealflow("worker", "--passes", "1")
    assert result.exit_code == 0, result.output
    assert "uid 1: created deal 1" in result.output and "uid 2: created deal 2" in result.output


def test_the_admin_setting_is_used_when_the_environment_says_nothing(mail_app, account, dealflow):
    mail_app.config.pop("MAIL_INBOX_CRM")
    with mail_app.app_context():
        settings.put(settings.MAILBOX, account.url(delay="10"))
        db.session.commit()
    account.append(letter(1))
    result = dealflow("mail", "poll", "--once")
    assert "warning: delay 10 is below the floor of 1 s" in result.output
    assert "created deal 1" in result.output
    assert account.password not in result.output


def test_no_mailbox_configured_is_a_clear_error(app, dealflow):
    result = dealflow("mail", "poll", "--once")
    assert result.exit_code == 3 and "mail-inbox-crm" in result.output


@pytest.mark.pg
def test_a_mailbox_is_polled_by_one_worker_at_a_time(mail_app, account, dealflow):
    account.append(letter(1))
    box_key = f"mailbox:{account.user}@127.0.0.1:{account.server.imaps_port}/INBOX"
    with mail_app.app_context():
        with db.engine.connect() as other_worker:
            other_worker.execute(text("SELECT pg_advisory_lock(:k)"), {"k": locks.lock_id(box_key)})
            result = dealflow("mail", "poll", "--once")
            assert "is being polled by another worker" in result.output
            assert deal_count() == 0
            other_worker.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": locks.lock_id(box_key)})
    assert "created deal 1" in dealflow("mail", "poll", "--once").output


def test_check_connection_succeeds_and_counts(account, dovecot):
    account.append(letter(1))
    result = check_connection(account.url(), cafile=dovecot.cafile)
    assert (result.ok, result.reason, result.total, result.unseen) == (True, "ok", 1, 1)


@pytest.mark.parametrize("change, reason", [
    (lambda url, d: url.replace("password=secret", "password=wrong"), "login"),
    (lambda url, d: url.replace(str(d.imaps_port), str(free_port())), "refused"),
    (lambda url, d: url.replace("127.0.0.1", "no-such-host.invalid"), "dns"),
    (lambda url, d: url + "&folder=Nowhere", "folder"),
    (lambda url, d: url.replace("username=", "user="), "bad_url"),
    (lambda url, d: "tls-untrusted", "tls"),
])
def test_check_connection_says_what_failed(account, dovecot, change, reason):
    url = account.url()
    cafile = dovecot.cafile
    if change(url, dovecot) == "tls-untrusted":
        cafile = None  # the self-signed certificate is not trusted by the system store
    else:
        url = change(url, dovecot)
    result = check_connection(url, cafile=cafile)
    assert (result.ok, result.reason) == (False, reason), result
    assert "secret" not in result.detail and "wrong" not in result.detail
