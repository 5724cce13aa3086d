"""Mail fixtures: one dovecot per test session, one mailbox user per test, the .eml letters."""
import shutil
import tempfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import has_app_context
from sqlalchemy import text

from engine.db import db
from processes import settings
from tests.conftest import require
from tests.mail.dovecot import Dovecot, available

EML = Path(__file__).resolve().parent / "eml"


def eml(name):
    return (EML / name).read_bytes()


def letter(n, subject="Заявка", sender="client@example.ru"):
    message = EmailMessage()
    message["From"], message["To"] = f"Клиент {n} <{sender}>", "crm@example.ru"
    message["Subject"], message["Message-ID"] = f"{subject} {n}", f"<poll-{n}@client.example.ru>"
    message.set_content(f"Письмо номер {n}")
    return message.as_bytes()


@pytest.fixture(scope="session")
def dovecot():
    if not available():
        require("dovecot is not installed (apt-get install -y dovecot-imapd)")
    # Not under pytest's tmp folders: those are 0700 and dovecot's processes run as other users.
    directory = tempfile.mkdtemp(prefix="dealflow-dovecot-")
    server = Dovecot(directory).start()
    yield server
    server.stop()
    shutil.rmtree(directory, ignore_errors=True)


class Account:
    """A fresh mailbox user on the test dovecot."""

    def __init__(self, server):
        self.server = server
        self.user, self.password = server.take_user()

    def url(self, tls=True, **params):
        params.setdefault("delay", "1s")
        return self.server.url(self.user, self.password, tls=tls, **params)

    def append(self, *letters, folder="INBOX"):
        self.server.append(self.user, self.password, letters, folder)

    def flags(self, folder="INBOX"):
        """{Message-ID: flags} of the letters in a folder."""
        with self.server.client(self.user, self.password, folder) as box:
            return {m.headers.get("message-id", ("",))[0]: m.flags
                    for m in box.fetch(mark_seen=False, headers_only=True)}

    def count(self, folder="INBOX"):
        with self.server.client(self.user, self.password) as box:
            if not box.folder.exists(folder):
                return 0
            box.folder.set(folder)
            return len(box.uids("ALL"))


@pytest.fixture
def account(dovecot):
    return Account(dovecot)


@pytest.fixture
def mail_app(app, account, dovecot):
    """The app pointed at the test account's mailbox over TLS, trusting the test certificate."""
    app.config["MAIL_INBOX_CRM"] = account.url()
    app.config["MAIL_CA_FILE"] = dovecot.cafile
    return app


@pytest.fixture
def dealflow(runner):
    """Run a dealflow command against the test app."""
    from web.cli import main

    def run(*args):
        return runner.invoke(main, args=[str(a) for a in args])
    return run


REFUSE_WHEN = "NEW.subject LIKE '%refuse-me%' AND EXISTS (SELECT 1 FROM settings WHERE key = 'test-refuse')"


def refuse(on):
    """Switch the refusal of the refusing_database fixture on or off."""
    if on:
        settings.put("test-refuse", True)
    else:
        db.session.execute(text("DELETE FROM settings WHERE key = 'test-refuse'"))
    db.session.commit()


@pytest.fixture
def refusing_database(mail_app):
    """Make the database refuse to store letters whose subject says refuse-me (while switched on)."""
    with mail_app.app_context():
        pg = db.engine.dialect.name == "postgresql"
        if pg:
            db.session.execute(text(
                "CREATE FUNCTION refuse_letter() RETURNS trigger AS $$ BEGIN "
                f"IF {REFUSE_WHEN} THEN RAISE EXCEPTION 'refused by the database'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"))
            db.session.execute(text("CREATE TRIGGER refuse_letter BEFORE INSERT ON letters "
                                    "FOR EACH ROW EXECUTE FUNCTION refuse_letter()"))
        else:
            db.session.execute(text(f"CREATE TRIGGER refuse_letter BEFORE INSERT ON letters WHEN {REFUSE_WHEN} "
                                    "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END"))
        refuse(True)
    yield
    if has_app_context():  # the test's own context (ctx) may hold a read transaction: on PostgreSQL it
        db.session.rollback()  # would keep the DROP below waiting for its lock on letters forever
    with mail_app.app_context():
        db.session.execute(text("DROP TRIGGER refuse_letter" + (" ON letters" if pg else "")))
        if pg:
            db.session.execute(text("DROP FUNCTION refuse_letter()"))
        db.session.commit()
