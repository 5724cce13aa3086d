"""Acceptance: workers on one PostgreSQL database fire each due timer exactly once, even when killed."""
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine import clock
from engine.db import db
from engine.models import Timer
from processes import deals
from processes.mail_models import OutboxMail
from tasks.assignment_models import Assignment, AssignmentEvent
from tasks.assignments import create_assignment

pytestmark = pytest.mark.pg
COUNT = 500
DEALFLOW = str(Path(sys.executable).parent / "dealflow")


@pytest.fixture
def due_timers(app, people):
    """COUNT assignments created two days ago, due yesterday: COUNT due timers."""
    for user in people.values():
        user.email = f"{user.username}@example.test"
    deal = deals.create_deal({"company": "ООО «Вектор»"}, people["manager"])
    due = (datetime.now() - timedelta(days=1)).isoformat(timespec="minutes")
    with clock.shifted(timedelta(days=-2)):
        for n in range(COUNT):
            create_assignment(deal, {"title": f"Поручение {n}", "performer": "manager2", "due_at": due},
                              people["manager"])
            if n % 100 == 99:
                db.session.commit()
    db.session.commit()
    assert fired() == 0
    return COUNT


def fired():
    db.session.expire_all()
    return db.session.scalar(select(func.count(Timer.id)).where(Timer.fired.is_(True)))


def worker(app):
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], DEALFLOW_SECRET_KEY="test",
               DEALFLOW_BPMN_DIR=app.config["BPMN_DIR"])
    env.pop("CI", None)
    return subprocess.Popen([DEALFLOW, "worker", "--once"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)


def fired_lines(output):
    return [line for line in output.splitlines() if line.startswith("timer overdue") and " fired:" in line]


def assert_each_fired_once():
    db.session.expire_all()
    assert fired() == COUNT
    assert db.session.scalar(select(func.count(Assignment.id)).where(Assignment.overdue.is_(True))) == COUNT
    per_assignment = db.session.execute(
        select(AssignmentEvent.assignment_id, func.count()).where(AssignmentEvent.kind == "overdue")
        .group_by(AssignmentEvent.assignment_id)).all()
    assert len(per_assignment) == COUNT and {n for _, n in per_assignment} == {1}
    warnings = db.session.execute(select(OutboxMail.topic, func.count()).where(OutboxMail.topic.like("%:overdue"))
                                  .group_by(OutboxMail.topic)).all()
    assert len(warnings) == COUNT and {n for _, n in warnings} == {2}  # the performer and the initiator


def test_two_workers_fire_500_due_timers_each_exactly_once(ctx, due_timers):
    workers = [worker(ctx), worker(ctx)]
    outputs = [w.communicate(timeout=600)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0]
    lines = [fired_lines(out) for out in outputs]
    assert sum(len(found) for found in lines) == COUNT  # every timer committed by exactly one worker
    assert [line for out in outputs for line in out.splitlines() if line.startswith("timer") and "failed" in line] == []
    assert_each_fired_once()


def test_a_worker_killed_mid_run_loses_nothing(ctx, due_timers):
    victim = worker(ctx)
    while fired() < 20 and victim.poll() is None:
        pass  # wait until the worker is well into its run
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    at_kill = fired()
    assert 0 < at_kill < COUNT, "the worker was not killed mid-run"
    workers = [worker(ctx), worker(ctx)]
    outputs = [w.communicate(timeout=600)[0] for w in workers]
    assert sum(len(fired_lines(out)) for out in outputs) == COUNT - at_kill
    assert_each_fired_once()
