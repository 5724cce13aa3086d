"""Each deal's count of its responsible's tasks (kept by the database) stays equal to its ready tasks through every
kind of change, so «Мои задачи» and its header count, which read only the deals that have one, miss no task."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from engine.db import db
from engine.models import ReadyTask
from mail.parse import parse_letter
from processes import bulk, deals, intake, migration, moves
from processes.deploy import deploy_source
from processes.models import Deal
from tasks import assignments, inbox
from tests.analyst import diagrams
from tests.mail.conftest import letter
from tests.plans import rows_read
from tests.tasks.test_task_count import counts_and_lists


def assert_counts_agree():
    """Every deal's ``responsible_tasks`` is the number of its workflow's unowned ready tasks in the manager lane."""
    owned = (select(func.count()).select_from(ReadyTask)
             .where(ReadyTask.instance_id == Deal.workflow_id, ReadyTask.lane == inbox.OWNER_LANE,
                    ReadyTask.assignee.is_(None)).scalar_subquery())
    rows = db.session.execute(select(Deal.number, Deal.responsible_tasks, owned).order_by(Deal.number)).all()
    assert rows and [(n, kept) for n, kept, _ in rows] == [(n, real) for n, _, real in rows]
    return {number: kept for number, kept, _ in rows}


def assert_badges_match_lists(people):
    assert all(count == listed for count, listed in counts_and_lists(people).values()), counts_and_lists(people)


def test_every_kind_of_change_keeps_each_deals_count_of_its_responsibles_tasks(ctx, people):
    manager, manager2, director = people["manager"], people["manager2"], people["director"]
    made = [deals.create_deal({"company": f"ООО «Свои {i}»"}, manager).number for i in range(6)]
    unowned = deals.create_deal({"company": "ООО «Ничья»", "responsible_id": ""}, manager).number
    raw = letter(1)
    intake.receive(parse_letter(raw), raw)  # the mail intake's own INSERTs of a deal and its workflow
    db.session.commit()
    counts = assert_counts_agree()
    assert counts[made[0]] == counts[unowned] == 1
    assert_badges_match_lists(people)

    moves.move_deal(deals.get_deal(made[0]), "firstContact", manager)   # within the manager lane
    moves.move_deal(deals.get_deal(made[1]), "decision", manager)       # into the director's lane
    moves.move_deal(deals.get_deal(made[2]), "decision", manager)
    moves.move_deal(deals.get_deal(made[3]), "pause", manager, comment="ждём")
    moves.claim_deal(deals.get_deal(unowned), manager2)
    deals.update_deal(deals.get_deal(made[4]), {"responsible_id": manager2.id}, director)
    db.session.commit()
    counts = assert_counts_agree()
    assert counts[made[1]] == 0 and counts[made[0]] == 1
    assert_badges_match_lists(people)

    moves.move_deal(deals.get_deal(made[1]), "completed", director)     # won: the workflow ends
    moves.move_deal(deals.get_deal(made[2]), "offerPreparation", director, comment="доработать КП")
    due = (datetime.now() + timedelta(days=1)).isoformat(timespec="minutes")
    assignments.create_assignment(deals.get_deal(made[5]), {"title": "Позвонить", "performer": "manager2",
                                                            "due_at": due}, manager)  # its own workflow's task
    db.session.commit()
    counts = assert_counts_agree()
    assert (counts[made[1]], counts[made[2]]) == (0, 1)
    assert_badges_match_lists(people)

    outcomes = bulk.run("move", made[:6], director, {"status": "decision"}, db.session.commit, db.session.rollback)
    assert any(o.done for o in outcomes)
    assert_counts_agree()
    assert_badges_match_lists(people)

    deploy_source(diagrams.camunda_tender())  # a new version, and the running deals migrated onto it
    assert any(r.moved for r in migration.migrate_deals("deal", 2, people["analyst"], dry_run=False))
    db.session.commit()
    assert_counts_agree()
    assert_badges_match_lists(people)

    assert assert_counts_agree()[unowned] == 1
    db.session.execute(text("DELETE FROM ready_tasks WHERE instance_id = :w"),  # even a task removed by hand
                       {"w": deals.get_deal(unowned).workflow_id})
    db.session.commit()
    assert assert_counts_agree()[unowned] == 0
    assert_badges_match_lists(people)


@pytest.mark.pg
def test_counting_a_managers_steps_reads_no_more_deals_when_more_of_theirs_wait_for_the_director(ctx, people):
    """The part of the header's count that finds the deals' steps belonging to their responsible reads as many
    rows of ``deals`` with 20 or with 60 of the manager's deals waiting for the director's decision."""
    manager = people["manager"]
    for i in range(3):
        deals.create_deal({"company": f"ООО «Своя {i}»"}, manager)
    for i in range(30):  # another manager's steps: a walk starting from the lane's tasks would read their deals
        deals.create_deal({"company": f"ООО «Чужая {i}»"}, people["manager2"])

    def deals_read():
        steps = inbox._mine(inbox._Who.of(manager), inbox._idle())(inbox.DEAL_TASKS)[1]  # the responsible's
        return rows_read(inbox.count_where(*steps), "deals")

    read = []
    for waiting in (20, 40):
        for i in range(waiting):
            moves.move_deal(deals.create_deal({"company": f"ООО «Решение {i}»"}, manager), "decision", manager)
        db.session.commit()
        db.session.execute(text("ANALYZE deals, ready_tasks"))  # planned from statistics, as in use
        assert inbox.count_my_tasks(manager) == inbox.agenda(manager).count == 3
        read.append(deals_read())
    assert read[0] == read[1] <= 3 * 3, read
