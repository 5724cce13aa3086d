"""Activities without HTTP: plan, done, reschedule, who may, and the worker's reminder fired exactly once."""
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engine import clock
from engine.db import db
from mail import jobs
from processes import activities, deals, outbox
from processes.activity_models import Activity, ActivityEvent
from processes.errors import Forbidden, ValidationError
from processes.mail_models import OutboxMail
from processes.models import Deal

DEALFLOW = str(Path(sys.executable).parent / "dealflow")


@pytest.fixture
def deal(people):
    for user in people.values():
        user.email = f"{user.username}@example.test"
    made = deals.create_deal({"company": "ООО «Вектор»"}, people["manager"])
    db.session.commit()
    return made


def soon(hours=1):
    return (clock.now() + timedelta(hours=hours)).isoformat(timespec="minutes") + "Z"


def test_an_activity_is_owned_by_the_deals_responsible_unless_named(people, deal):
    mine = activities.plan(deal, people["director"], {"kind": "meeting", "summary": "Встреча", "due_at": soon()})
    theirs = activities.plan(deal, people["manager"], {"kind": "call", "summary": "Звонок", "due_at": soon(),
                                                       "owner": "manager2"})
    assert mine.owner.username == "manager" and theirs.owner.username == "manager2"


def test_a_bad_activity_says_what_is_wrong_with_each_field(people, deal):
    with pytest.raises(ValidationError) as refused:
        activities.plan(deal, people["manager"], {"kind": "party", "summary": "", "due_at": "вчера",
                                                  "owner": "analyst"})
    assert set(refused.value.errors) == {"kind", "summary", "due_at", "owner"}
    with pytest.raises(Forbidden):
        activities.plan(deal, people["analyst"], {"kind": "call", "summary": "x", "due_at": soon()})


def test_done_with_an_outcome_or_rescheduled_by_the_owner_not_by_another_manager(people, deal):
    activity = activities.plan(deal, people["manager"], {"kind": "call", "summary": "Звонок", "due_at": soon()})
    with pytest.raises(Forbidden):
        activities.done(activity, people["manager2"], "не моё")
    activities.reschedule(activity, people["manager"], soon(48), "клиент в отпуске")
    assert activity.due_at > clock.now() + timedelta(hours=47)
    activities.done(activity, people["manager"], "Договорились о встрече")
    db.session.commit()
    assert activity.done_at is not None and activity.outcome == "Договорились о встрече"
    with pytest.raises(ValidationError):
        activities.done(activity, people["manager"], "ещё раз")
    assert db.session.scalars(select(ActivityEvent.kind).order_by(ActivityEvent.id)).all() == \
        ["created", "rescheduled", "done"]


def test_the_soonest_open_activity_per_deal_comes_with_the_deal_in_one_query(people, deal):
    other = deals.create_deal({"company": "ООО «Тишина»"}, people["manager"])
    activities.plan(deal, people["manager"], {"kind": "call", "summary": "позже", "due_at": soon(5)})
    first = activities.plan(deal, people["manager"], {"kind": "call", "summary": "раньше", "due_at": soon(2)})
    done = activities.plan(other, people["manager"], {"kind": "call", "summary": "сделано", "due_at": soon(1)})
    activities.done(done, people["manager"])
    soonest = db.session.execute(select(Deal.id, activities.soonest_due(Deal.id))
                                 .where(Deal.id.in_([deal.id, other.id]))).all()
    assert {deal_id: due for deal_id, due in soonest if due is not None} == {deal.id: first.due_at}


def reminders():
    db.session.expire_all()
    return db.session.execute(select(OutboxMail.topic, OutboxMail.to_email).where(
        OutboxMail.topic.like("activity:%")).order_by(OutboxMail.id)).all()


def test_the_worker_reminds_the_owner_once_when_it_falls_due_and_again_after_a_reschedule(app, people, deal):
    activity = activities.plan(deal, people["manager"], {"kind": "call", "summary": "Перезвонить", "due_at": soon()})
    db.session.commit()
    said = []
    assert jobs.remind_due_activities(said.append) == 0  # not due yet
    with clock.shifted(timedelta(hours=2)):
        assert jobs.remind_due_activities(said.append) == 1
        assert jobs.remind_due_activities(said.append) == 0
    assert reminders() == [(f"activity:{activity.id}:due", "manager@example.test")]
    letter = outbox.letters(f"activity:{activity.id}:due")[0]
    assert "Перезвонить" in letter.subject and f"№ {deal.number}" in letter.subject
    activity = db.session.get(Activity, activity.id)
    with clock.shifted(timedelta(hours=2)):
        activities.reschedule(activity, people["manager"], soon(1))
        db.session.commit()
    with clock.shifted(timedelta(hours=4)):
        assert jobs.remind_due_activities(said.append) == 1
    assert len(reminders()) == 2


def test_a_done_activity_is_not_reminded(app, people, deal):
    activity = activities.plan(deal, people["manager"], {"kind": "call", "summary": "x", "due_at": soon()})
    activities.done(activity, people["manager"], "готово")
    db.session.commit()
    with clock.shifted(timedelta(hours=2)):
        assert jobs.remind_due_activities(print) == 0


def test_a_reminder_picked_by_one_worker_is_not_sent_by_another(app, people, deal):
    """The race step by step. PostgreSQL: a picked reminder is locked, another worker skips it. SQLite (no row
    locks): another worker claims it between this one's pick and its claim, and this one queues no letter."""
    activity = activities.plan(deal, people["manager"], {"kind": "call", "summary": "x", "due_at": soon()})
    db.session.commit()
    with clock.shifted(timedelta(hours=2)):
        picked = activities.next_due_reminder()
        assert picked is not None and picked.id == activity.id
        if db.engine.dialect.name == "postgresql":
            with Session(db.engine) as other_worker:
                assert other_worker.scalars(select(Activity.id).where(Activity.reminded_at.is_(None))
                                            .with_for_update(skip_locked=True)).all() == []
            assert activities.remind(picked) is True
            db.session.commit()
            assert len(reminders()) == 1
        else:
            db.session.rollback()  # SQLite: this worker's read would block the other's write
            with db.engine.begin() as other_worker:
                other_worker.execute(update(Activity).where(Activity.id == activity.id)
                                     .values(reminded_at=clock.now()))
            assert activities.remind(picked) is False
            db.session.commit()
            assert reminders() == []


COUNT = 300


def _worker(app):
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], DEALFLOW_SECRET_KEY="test",
               DEALFLOW_BPMN_DIR=app.config["BPMN_DIR"])
    env.pop("CI", None)
    return subprocess.Popen([DEALFLOW, "worker", "--once"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)


@pytest.mark.pg
def test_two_workers_on_postgresql_remind_each_due_activity_exactly_once(app, people, deal):
    with clock.shifted(timedelta(days=-1)):
        for n in range(COUNT):
            activities.plan(deal, people["manager"], {"kind": "call", "summary": f"Звонок {n}",
                                                      "due_at": soon(1 + n % 5)})
    db.session.commit()
    workers = [_worker(app), _worker(app)]
    outputs = [w.communicate(timeout=600)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0]
    said = [[line for line in out.splitlines() if line.startswith("activity ") and " reminded" in line]
            for out in outputs]
    assert sum(len(lines) for lines in said) == COUNT  # each reminder claimed by exactly one worker
    per_topic = db.session.execute(select(OutboxMail.topic, func.count()).where(OutboxMail.topic.like("activity:%"))
                                   .group_by(OutboxMail.topic)).all()
    assert len(per_topic) == COUNT and {n for _, n in per_topic} == {1}
    assert db.session.scalar(select(func.count()).select_from(Activity).where(Activity.reminded_at.is_(None))) == 0
