"""Acceptance: due dates and the archive are real BPMN timers, fired by `dealflow worker`, once.

Time is controlled, never waited for: the assignment is created (or finished)
with the engine clock moved back, so its timers are already due for a worker
on the real clock.
"""
from datetime import datetime, timedelta

from sqlalchemy import select

from engine import clock
from engine.db import db
from engine.models import Timer
from processes import outbox

DAYS_AGO = timedelta(days=-2)


def yesterday():
    return (datetime.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def timer_rows():
    db.session.expire_all()
    return [(t.node_id, t.fired) for t in db.session.scalars(select(Timer).order_by(Timer.id))]


def overdue_events(assignment):
    return [e for e in assignment["events"] if e["kind"] == "overdue"]


def test_a_past_due_date_is_marked_overdue_once_by_the_worker_and_mailed_once(api, deal, dealflow, mailed):
    with clock.shifted(DAYS_AGO):
        a = api.create(deal, due_at=yesterday()).json
    assert (a["status"], a["overdue"]) == ("new", False)
    assert timer_rows() == [("overdue", False)]

    first = dealflow("worker", "--once")
    assert "timer overdue of instance" in first.output
    after = api.read(a["id"])
    assert after["overdue"] is True and after["status"] == "new"  # still the performer's to do
    assert len(overdue_events(after)) == 1 and timer_rows() == [("overdue", True)]
    assert [t["assignment"]["overdue"] for t in api.tasks("manager2")] == [True]
    assert api.list("manager", overdue="1")["total"] == 1

    second = dealflow("worker", "--once")
    assert "timer overdue" not in second.output
    assert len(overdue_events(api.read(a["id"]))) == 1
    warnings = [text for text in (mailed.to("manager2@example.test") + mailed.to("manager@example.test"))
                if "Срок истёк" in text]
    assert len(warnings) == 2  # one to the performer, one to the initiator
    assert len(mailed.to("manager2@example.test")) == 2  # the new assignment, the overdue warning
    assert "Подготовить КП" in warnings[0]


def test_a_return_after_the_due_date_does_not_warn_twice(api, deal, dealflow, mailed):
    with clock.shifted(DAYS_AGO):
        a = api.create(deal, due_at=yesterday(), verifier="director").json
        api.verdict(a["id"], "done", "manager2")
    dealflow("worker", "--once")  # nothing due: the due-date timer went with the finished work
    assert api.read(a["id"])["overdue"] is False
    returned = api.verdict(a["id"], "return", "director", "Ещё раз").json  # back to work, already late
    assert returned["overdue"] is True and len(overdue_events(returned)) == 1
    api.verdict(a["id"], "done", "manager2")
    api.verdict(a["id"], "return", "director", "И ещё раз")
    dealflow("worker", "--once")
    assert len(overdue_events(api.read(a["id"]))) == 1
    assert len([t for t in mailed.to("manager@example.test") if "Срок истёк" in t]) == 1


def test_the_archive_timer_fires_after_the_diagrams_14_days(api, deal, dealflow):
    with clock.shifted(timedelta(days=-13)):
        young = api.create(deal, title="Недавнее").json
        api.verdict(young["id"], "done", "manager2")
    with clock.shifted(timedelta(days=-15)):
        old = api.create(deal, title="Давнее").json
        api.verdict(old["id"], "done", "manager2")
    assert timer_rows() == [("done", False), ("done", False)]  # the due-date timers went with the work
    dealflow("worker", "--once")
    archived = api.read(old["id"])
    assert (archived["status"], archived["status_label"]) == ("archived", "Архив") and archived["archived_at"]
    assert archived["events"][-1]["kind"] == "archived"
    assert api.read(young["id"])["status"] == "done"  # 13 days: not yet
    assert sorted(timer_rows()) == [("done", False), ("done", True)]
    assert [a["title"] for a in api.list("manager")["assignments"]] == ["Недавнее"]  # the archive is hidden
    assert [a["title"] for a in api.list("manager", archive="1")["assignments"]] == ["Недавнее", "Давнее"]


def test_the_archive_duration_is_read_from_the_diagram(app, api, deal, dealflow, ctx):
    from processes.deploy import deploy_source
    source = (app.config["BPMN_DIR"] + "/assignment.bpmn")
    with open(source, "rb") as f:
        deploy_source(f.read().replace(b'"P14D"', b'"P30D"'), "analyst")
    db.session.commit()
    with clock.shifted(timedelta(days=-15)):
        a = api.create(deal).json
        api.verdict(a["id"], "done", "manager2")
    dealflow("worker", "--once")
    assert api.read(a["id"])["status"] == "done"


def test_notifications_never_block_the_action_and_are_retried(app, api, deal, dealflow, mailed):
    from tests.assignments.conftest import free_port
    app.config["SMTP_PORT"] = free_port()  # nobody listens there
    r = api.create(deal)
    assert r.status_code == 201
    result = dealflow("worker", "--once")
    assert "failed: ConnectionRefusedError" in result.output
    [letter] = outbox.letters()
    assert (letter.status, letter.attempts) == ("pending", 1)
    app.config["SMTP_PORT"] = mailed.port
    dealflow("worker", "--once")
    assert mailed.letters == []  # the retry waits its pause
    with clock.shifted(timedelta(minutes=2)):
        dealflow("worker", "--once")
    db.session.expire_all()
    assert [(m.status, m.attempts) for m in outbox.letters()] == [("sent", 2)]
    assert len(mailed.to("manager2@example.test")) == 1


def test_without_smtp_settings_nothing_is_sent(api, deal, dealflow, smtp_server, people):
    people["manager2"].email = "manager2@example.test"
    db.session.commit()
    api.create(deal)
    dealflow("worker", "--once")
    db.session.expire_all()
    assert [m.status for m in outbox.letters()] == ["skipped"] and smtp_server.letters == []


def test_a_deal_waiting_for_the_directors_decision_is_mailed_to_the_director(client, tokens, deal, dealflow,
                                                                              mailed):
    from tests.conftest import bearer
    r = client.post(f"/api/v1/deals/{deal}/move", json={"status": "decision"}, headers=bearer(tokens["manager"]))
    assert r.status_code == 200, r.json
    dealflow("worker", "--once")
    [letter] = mailed.to("director@example.test")
    assert "№ 1 ООО «Вектор»" in letter and mailed.to("manager@example.test") == []
