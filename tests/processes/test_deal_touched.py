"""A deal's last touch (``rotting.last_touch``), read from its own ``touched_at`` kept by the database's triggers,
is after every kind of change what its history, notes and activity events say: the latest of them and of when
it entered its status."""
from datetime import timedelta

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
