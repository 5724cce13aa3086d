"""Workers killed with SIGKILL at random points while letters arrive: every letter one deal, none twice."""
import os
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.db import db
from processes.mail_models import Letter
from processes.models import Deal
from tests.mail.test_poll import letter

LETTERS = 200
DEALFLOW = str(Path(sys.executable).parent / "dealflow")


def _env(app):
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], DEALFLOW_SECRET_KEY="test",
               DEALFLOW_MAIL_INBOX_CRM=app.config["MAIL_INBOX_CRM"], DEALFLOW_MAIL_CA_FILE=app.config["MAIL_CA_FILE"],
               DEALFLOW_BPMN_DIR=app.config["BPMN_DIR"])
    env.pop("CI", None)
    return env


def _workers(env, count):
    return [subprocess.Popen([DEALFLOW, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(count)]


def test_killed_workers_lose_nothing_and_double_nothing(mail_app, account):
    env = _env(mail_app)
    rng = random.Random(20260302)
    arriving = threading.Thread(target=lambda: [account.append(letter(n, sender=f"c{n}@example.ru")) for n in range(LETTERS)])
    arriving.start()
    kills = 0
    while arriving.is_alive() or kills < 6:
        workers = _workers(env, 2)  # two at once: the lock (PostgreSQL) or Message-ID (SQLite) keeps them apart
        try:
            workers[0].wait(timeout=rng.uniform(0.5, 2.5))
        except subprocess.TimeoutExpired:
            pass
        for worker in workers:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
        kills += 1
    arriving.join()
    for _ in range(10):  # restarted until done
        done = subprocess.run([DEALFLOW, "mail", "poll", "--once"], env=env, capture_output=True, text=True)
        if done.returncode == 0 and "no new letters" in done.stdout:
            break
    else:
        pytest.fail(f"the mailbox never drained: {done.stdout} {done.stderr}")
    flags = account.flags()
    assert len(flags) == LETTERS and all("\\Seen" in f for f in flags.values())
    with mail_app.app_context():
        assert db.session.scalar(select(func.count(Deal.id))) == LETTERS
        assert db.session.scalar(select(func.count(func.distinct(Letter.message_id)))) == LETTERS
        assert db.session.scalar(select(func.count(func.distinct(Letter.deal_id)))) == LETTERS
