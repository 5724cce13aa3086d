"""A deal's last touch (``rotting.last_touch``), read from its own ``touched_at`` kept by the database's triggers,
is after every kind of change what its history, notes and activity events say: the latest of them and of when
it entered its status."""
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from engine import clock
from engine.db import db
from mail.parse import parse_letter
from processes import activities, bulk, deals, intake, moves, notes, rotting
from processes.activity_models import Activity, ActivityEvent, DealNote
from processes.models import Deal, DealHistory
from tests.mail.conftest import letter


def assert_touches_agree():
    """Every deal's last touch equals the latest of its status change and its rows in the three tables."""
    def latest(model, column):
        return {deal_id: at for deal_id, at in db.session.execute(
            select(model.deal_id, func.max(column)).group_by(model.deal_id))}
    rows = [latest(DealHistory, DealHistory.at), latest(DealNote, DealNote.created_at),
            latest(ActivityEvent, ActivityEvent.at)]
    read = db.session.execute(select(Deal.id, Deal.number, Deal.status_changed_at, rotting.last_touch())).all()
    assert read
    for deal_id, number, entered, touched in read:
        expected = max([entered, *(found[deal_id] for found in rows if deal_id in found)])
        assert touched == expected, (number, touched, expected)
    return {number: touched for _, number, _, touched in read}


def test_every_kind_of_change_keeps_each_deals_last_touch(ctx, people):
    manager, director = people["manager"], people["director"]
    made = [deals.create_deal({"company": f"ООО «Касание {i}»"}, manager) for i in range(4)]
    raw = letter(1)
    intake.receive(parse_letter(raw), raw)  # the mail intake's own INSERTs of a deal and its history
    db.session.commit()
    touched = assert_touches_agree()

    moves.move_deal(made[0], "firstContact", manager)
    moves.move_deal(made[1], "decision", manager)
    moves.move_deal(made[1], "completed", director)
    note = notes.add_note(made[2], manager, "Позвонить в понедельник")
    activities.plan(made[3], manager, {"kind": "call", "summary": "Созвон",
                                       "due_at": (clock.now() + timedelta(days=1)).isoformat()})
    db.session.commit()
    assert assert_touches_agree()[made[2].number] > touched[made[2].number]

    week_ago = clock.now() - timedelta(days=7)
    db.session.execute(text("UPDATE deal_history SET at = :at WHERE deal_id = :deal"),  # back-dated by hand
                       {"at": week_ago, "deal": made[0].id})
    db.session.execute(text("UPDATE deals SET status_changed_at = :at WHERE id = :deal"),
                       {"at": week_ago - timedelta(days=1), "deal": made[0].id})
    db.session.commit()
    assert assert_touches_agree()[made[0].number] == week_ago

    notes.delete_note(note, manager)  # the note was its latest touch
    activity = db.session.scalar(select(Activity).where(Activity.deal_id == made[3].id))
    activities.reschedule(activity, manager, (clock.now() + timedelta(days=3)).isoformat())
    activities.done(activity, manager, "Договорились")
    db.session.commit()
    assert_touches_agree()

    outcomes = bulk.run("move", [d.number for d in made[2:]], director, {"status": "identifyNeeds"},
                        db.session.commit, db.session.rollback)
    assert any(o.done for o in outcomes)
    db.session.execute(text("DELETE FROM deal_history WHERE deal_id = :deal"), {"deal": made[2].id})  # by hand
    db.session.commit()
    touched = assert_touches_agree()
    assert touched[made[2].number] == db.session.get(Deal, made[2].id).status_changed_at  # nothing left but that


def test_a_row_moved_to_another_deal_touches_both(ctx, people):
    first, second = (deals.create_deal({"company": f"ООО «Перенос {i}»"}, people["manager"]) for i in range(2))
    note = notes.add_note(first, people["manager"], "Не той сделке")
    db.session.commit()
    db.session.execute(text("UPDATE deal_notes SET deal_id = :to, created_at = :at WHERE id = :note"),
                       {"to": second.id, "at": clock.now() + timedelta(days=1), "note": note.id})  # by hand
    db.session.commit()
    touched = assert_touches_agree()
    assert touched[second.number] > touched[first.number]


@pytest.mark.pg
def test_a_recount_waits_for_a_touch_of_another_transaction_and_counts_it(ctx, people):
    """A note deleted while another transaction adds a later history entry to the same deal: the recount waits
    for that transaction's lock on the deal and then counts what it committed, not what it saw before waiting."""
    deal = deals.create_deal({"company": "ООО «Гонка касаний»"}, people["manager"])
    note = notes.add_note(deal, people["manager"], "Последняя")
    db.session.commit()
    deal_id, note_id, later = deal.id, note.id, clock.now() + timedelta(days=1)
    with db.engine.connect() as adding, db.engine.connect() as deleting:
        adding.execute(text("INSERT INTO deal_history (deal_id, at, kind, from_status, to_status, comment) "
                            "VALUES (:deal, :at, 'claim', 'new', 'new', '')"), {"deal": deal_id, "at": later})
        waiting = threading.Thread(target=lambda: (
            deleting.execute(text("DELETE FROM deal_notes WHERE id = :note"), {"note": note_id}), deleting.commit()))
        waiting.start()
        for _ in range(200):  # until the delete's recount waits on the deal's row
            if db.session.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                      "AND datname = current_database()")):
                break
            db.session.rollback()
            time.sleep(0.01)
        adding.commit()
        waiting.join(10)
    db.session.rollback()
    assert db.session.get(DealNote, note_id) is None  # the delete went through
    assert assert_touches_agree()[deal.number] == later
