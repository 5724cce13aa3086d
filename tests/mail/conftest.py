"""Mail fixtures: one dovecot per test session, one mailbox user per test, the .eml letters."""
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.conftest import require
from tests.mail.dovecot import Dovecot, available

EML = Path(__file__).resolve().parent / "eml"


def eml(name):
    return (EML / name).read_bytes()


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
