"""`dealflow worker` holds the mailbox with IMAP IDLE: letters become deals as they arrive, a server without
IDLE is polled, a dropped connection is reconnected and loses nothing. Real dovecot, real worker processes."""
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from engine.db import db
from mail import status
from processes.mail_models import Letter
from processes.models import Deal
from tests.conftest import require
from tests.mail.conftest import Account, letter
from tests.mail.dovecot import Dovecot, available
from tests.mail.test_crash import DEALFLOW, _env

NO_IDLE = "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ NAMESPACE UIDPLUS MOVE UNSELECT"


@contextmanager
def worker(app, **config):
    """A `dealflow worker` process; its output is on ``.output`` once the block ends."""
    env = _env(app)
    env.update({f"DEALFLOW_{key}": str(value) for key, value in config.items()}, PYTHONUNBUFFERED="1")
    process = subprocess.Popen([DEALFLOW, "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    try:
        yield process
    finally:
        process.terminate()
        process.output = process.communicate(timeout=30)[0]
        print(process.output)  # shown by pytest when the test fails


def until(app, check, timeout=30.0):
    """Wait for check() (run in a fresh app context) to return something true; return it."""
    deadline = time.monotonic() + timeout
    while True:
        with app.app_context():
            value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def deals():
    return db.session.scalar(select(func.count(Deal.id)))


def state():
    value = status.current()
    return value and (value["state"], value["detail"], value["at"])


def test_a_letter_appended_while_the_worker_idles_is_a_deal_within_two_seconds(mail_app, account):
    with worker(mail_app, MAIL_IDLE_RENEW=1) as process:  # renewed every second: the letters still come at once
        first = until(mail_app, lambda: state() if state() and state()[0] == "idle" else None)
        assert first, process
        time.sleep(2.5)  # two renewals, and the other jobs ran meanwhile (their heartbeat moved the status on)
        assert until(mail_app, lambda: state()[2] > first[2], timeout=5)
        for n in (1, 2):
            appended = time.monotonic()
            account.append(letter(n))
            assert until(mail_app, lambda: deals() == n, timeout=2.0), f"letter {n} is no deal after 2 s"
            assert time.monotonic() - appended <= 2.0
            time.sleep(0.5)
    assert "uid 1: created deal 1" in process.output and "uid 2: created deal 2" in process.output
    assert all("\\Seen" in flags for flags in account.flags().values())


@pytest.fixture(scope="module")
def dovecot_without_idle():
    if not available():
        require("dovecot is not installed (apt-get install -y dovecot-imapd)")
    directory = tempfile.mkdtemp(prefix="dealflow-dovecot-noidle-")
    server = Dovecot(directory, capability=NO_IDLE).start()
    yield server
    server.stop()
    shutil.rmtree(directory, ignore_errors=True)


def test_a_server_without_idle_is_polled_every_delay(app, dovecot_without_idle):
    account = Account(dovecot_without_idle)
    app.config["MAIL_INBOX_CRM"] = account.url(delay="1s")
    app.config["MAIL_CA_FILE"] = dovecot_without_idle.cafile
    with worker(app):
        assert until(app, lambda: state() and state()[:2] == ("polling", "no IDLE"))
        account.append(letter(1), letter(2))
        assert until(app, lambda: deals() == 2, timeout=10)
    with app.app_context():
        assert status.current()["delay"] == 1.0


def test_idle_switched_off_polls(mail_app, account):
    with worker(mail_app, MAIL_IDLE="false"):
        assert until(mail_app, lambda: state() and state()[:2] == ("polling", ""))
        account.append(letter(1))
        assert until(mail_app, lambda: deals() == 1, timeout=10)


def test_a_dropped_connection_is_reconnected_and_nothing_is_lost(mail_app, account):
    with worker(mail_app, MAIL_RECONNECT_MIN=1, MAIL_RECONNECT_MAX=2) as process:
        assert until(mail_app, lambda: state() and state()[0] == "idle")
        account.append(letter(1))
        assert until(mail_app, lambda: deals() == 1, timeout=5)
        account.server.kick(account.user)
        account.append(*[letter(n) for n in range(2, 6)])  # while the worker is cut off or reconnecting
        assert until(mail_app, lambda: state() and state()[0] == "reconnecting", timeout=10)
        assert until(mail_app, lambda: deals() == 5, timeout=20)
        assert until(mail_app, lambda: state()[0] == "idle", timeout=10)
        account.append(letter(6))
        assert until(mail_app, lambda: deals() == 6, timeout=5)
    assert "poll failed: Dropped" in process.output, process.output
    assert all("\\Seen" in flags for flags in account.flags().values())
    with mail_app.app_context():
        assert db.session.scalar(select(func.count(func.distinct(Letter.deal_id)))) == 6


def test_the_admin_page_says_what_the_worker_does(client, people, app):
    client.post("/login", data={"username": "admin", "password": "secret123"})
    assert "Обработчик ещё не читал ящик" in client.get("/admin/mail").get_data(as_text=True)
    for (state_, detail, delay), line in [
            (("idle", "", 30.0), "IDLE: новые письма забираются, как только сервер о них сообщает."),
            (("polling", "no IDLE", 5.0), "Опрос каждые 5 с (сервер не поддерживает IDLE)."),
            (("polling", "", 2.5), "Опрос каждые 2.5 с."),
            (("reconnecting", "Dropped: the server closed the connection (next try in 4 s)", 30.0),
             "Переподключение: Dropped: the server closed the connection (next try in 4 s)")]:
        with app.app_context():
            status.report(state_, detail, delay)
        page = client.get("/admin/mail").get_data(as_text=True)
        assert line in page and 'data-state="' + state_ + '"' in page
