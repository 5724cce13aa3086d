"""Assignment fixtures: a deal to hang assignments on, a real SMTP server on loopback, API helpers."""
import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller

from engine.db import db
from tests.conftest import bearer


class Inbox:
    """What the SMTP server received: (envelope recipients, decoded subject and body) per letter."""

    def __init__(self):
        self.letters = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            text = f"Subject: {message['Subject']}\n\n{message.get_content()}"
            self.letters.append((list(envelope.rcpt_tos), text))
        return "250 OK"

    def to(self, address):
        return [text for rcpts, text in self.letters if address in rcpts]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def mailed(app, people, smtp_server):
    """People with e-mail addresses and the app sending through the loopback SMTP server."""
    for user in people.values():
        user.email = f"{user.username}@example.test"
    db.session.commit()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_SENDER="crm@example.test")
    return smtp_server


@pytest.fixture
def dealflow(runner):
    """Run a dealflow command (the console script's group) against the test app."""
    from web.cli import main

    def run(*args):
        result = runner.invoke(main, args=[str(a) for a in args])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result
    return run


@pytest.fixture
def deal(client, tokens):
    r = client.post("/api/v1/deals", json={"company": "ООО «Вектор»"}, headers=bearer(tokens["manager"]))
    assert r.status_code == 201, r.json
    return r.json["number"]


class Api:
    """The assignment endpoints as the people call them."""

    def __init__(self, client, tokens):
        self.client, self.tokens = client, tokens

    def create(self, number, as_user="manager", **fields):
        body = {"title": "Подготовить КП", "description": "Цены на 2027 год", "performer": "manager2",
                "due_at": "2999-12-31", "priority": "high"}
        body.update(fields)
        return self.client.post(f"/api/v1/deals/{number}/assignments", json=body,
                                headers=bearer(self.tokens[as_user]))

    def read(self, assignment_id, as_user="manager"):
        return self.client.get(f"/api/v1/assignments/{assignment_id}", headers=bearer(self.tokens[as_user])).json

    def verdict(self, assignment_id, verdict, as_user, comment=""):
        return self.client.post(f"/api/v1/assignments/{assignment_id}/verdict",
                                json={"verdict": verdict, "comment": comment}, headers=bearer(self.tokens[as_user]))

    def tasks(self, as_user, scope="mine"):
        """The user's assignment tasks (their deal tasks left out)."""
        r = self.client.get("/api/v1/tasks", query_string={"scope": scope}, headers=bearer(self.tokens[as_user]))
        return [t for t in r.json["tasks"] if "assignment" in t]

    def list(self, as_user="manager", **query):
        r = self.client.get("/api/v1/assignments", query_string=query, headers=bearer(self.tokens[as_user]))
        assert r.status_code == 200, r.json
        return r.json


@pytest.fixture
def api(client, tokens):
    return Api(client, tokens)
