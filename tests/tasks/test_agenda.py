"""«Мои задачи» without HTTP: what needs the user now, and the header's count as one COUNT query."""
from datetime import timedelta

import pytest
from sqlalchemy import event

from engine import clock
from engine.db import db
from processes import activities, deals, moves
from tasks import assignments, inbox


def soon(hours):
    return (clock.now() + timedelta(hours=hours)).isoformat(timespec="minutes") + "Z"


@pytest.fixture
def day(people):
    """A manager's deals: one to work, one paused, one unprocessed nobody took, one waiting for the director."""
    made = {name: deals.create_deal({"company": name}, people["manager"])
            for name in ("work", "paused", "decision")}
    made["free"] = deals.create_deal({"company": "free"}, people["director"])
    moves.move_deal(made["paused"], "pause", people["manager"])
    moves.move_deal(made["decision"], "decision", people["manager"])
    db.session.commit()
    return made


def statements(run):
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = run()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return result, seen


def test_a_managers_tasks_are_their_deals_to_work_deals_to_take_and_due_activities(people, day):
    overdue = activities.plan(day["work"], people["manager"], {"kind": "call", "summary": "Просрочено",
                                                               "due_at": soon(1)})
    activities.plan(day["work"], people["manager"], {"kind": "meeting", "summary": "Через неделю",
                                                     "due_at": soon(24 * 7)})
    activities.plan(day["paused"], people["manager"], {"kind": "call", "summary": "На паузе", "due_at": soon(1)})
    assignments.create_assignment(day["paused"], {"title": "Смета", "performer": "manager",
                                                  "due_at": (clock.now() + timedelta(days=3)).date().isoformat()},
                                  people["director"])
    db.session.commit()
    with clock.shifted(timedelta(hours=2)):
        agenda = inbox.agenda(people["manager"])
        assert [t.deal.company for t in agenda.tasks if not t.assigned] == ["work"]  # not paused, not the director's
        assert [t.assignment.title for t in agenda.tasks if t.assigned] == ["Смета"]  # handed work counts anyway
        assert [t.deal.company for t in agenda.to_take] == ["free"]
        assert [a.summary for a in agenda.activities] == [overdue.summary]
        count, seen = statements(lambda: inbox.count_my_tasks(people["manager"]))
        counting = [sql for sql in seen if "ready_tasks" in sql or "activities" in sql]
        assert count == agenda.count == 4 and len(counting) == 1 and "count(" in counting[0].lower()


def test_a_directors_tasks_are_the_decisions_waiting(people, day):
    agenda = inbox.agenda(people["director"])
    assert [t.deal.company for t in agenda.to_take] == ["decision"] and agenda.tasks == []
    assert inbox.count_my_tasks(people["director"]) == 1
    assert inbox.count_my_tasks(people["analyst"]) == 0


def test_a_status_marked_not_actionable_in_the_diagram_is_nobodys_task(people, day):
    from processes import statuses
    model = statuses.current_model()
    assert {"pause", "refusal", "old", "completed"} <= set(model.idle_codes)
    assert "new" not in model.idle_codes and "decision" not in model.idle_codes


def test_the_list_comes_by_pages_and_the_count_spans_them(people):
    """Five deals of one's own, two to take, three due activities, two a page: every one on exactly one page,
    one's own before those to take (each oldest first), and the header counts them all."""
    manager = people["manager"]
    own = [deals.create_deal({"company": f"own {i}"}, manager) for i in range(5)]
    free = [deals.create_deal({"company": f"free {i}", "responsible_id": ""}, manager) for i in range(2)]
    for hours in (1, 2, 3):
        activities.plan(own[0], manager, {"kind": "call", "summary": f"call {hours}", "due_at": soon(hours)})
    db.session.commit()
    with clock.shifted(timedelta(hours=4)):
        pages = [inbox.agenda(manager, page=n, activities_page=n, per_page=2) for n in (1, 2, 3, 4, 5)]
        count = inbox.count_my_tasks(manager)
    listed = [t.deal.company for p in pages for t in p.tasks + p.to_take]
    assert listed == [d.company for d in own + free]
    assert [len(p.tasks + p.to_take) for p in pages] == [2, 2, 2, 1, 0]
    assert [a.summary for p in pages for a in p.activities] == ["call 1", "call 2", "call 3"]
    first = pages[0]
    assert (first.task_total, first.activity_total, first.task_pages, first.activity_pages) == (7, 3, 4, 2)
    assert count == 10
