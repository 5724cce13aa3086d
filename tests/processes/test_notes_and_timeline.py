"""Notes, mentions and the deal's timeline, without HTTP."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine import clock
from engine.db import db
from processes import activities, deals, moves, notes, outbox, rotting, statuses, timeline
from processes.activity_models import ActivityEvent
from processes.models import Deal
from processes.errors import Forbidden, ValidationError
from tasks import assignments
from tasks import timeline as deal_timeline


@pytest.fixture
def deal(people):
    for user in people.values():
        user.email = f"{user.username}@example.test"
    made = deals.create_deal({"company": "ООО «Вектор»"}, people["manager"])
    db.session.commit()
    return made


def test_anyone_who_sees_the_deal_adds_a_note_and_a_mention_is_mailed_once(people, deal):
    note = notes.add_note(deal, people["analyst"], "Звонил клиент, @Director и @manager2 — гляньте; @nobody тоже")
    db.session.commit()
    mails = outbox.letters(f"note:{note.id}:mention")
    assert sorted(m.to_email for m in mails) == ["director@example.test", "manager2@example.test"]
    assert "Звонил клиент" in mails[0].body and "№ %d" % deal.number in mails[0].subject


def test_an_empty_note_is_refused(people, deal):
    with pytest.raises(ValidationError):
        notes.add_note(deal, people["manager"], "   ")


def test_the_author_edits_or_deletes_a_note_for_15_minutes_then_it_is_history(people, deal):
    note = notes.add_note(deal, people["manager"], "Черновик")
    db.session.commit()
    with pytest.raises(Forbidden, match="only the author"):
        notes.edit_note(note, people["director"], "чужая правка")
    notes.edit_note(note, people["manager"], "Исправлено, @director")
    db.session.commit()
    assert note.text == "Исправлено, @director" and note.edited_at is not None
    assert [m.to_email for m in outbox.letters(f"note:{note.id}:mention")] == ["director@example.test"]
    with clock.shifted(timedelta(minutes=16)):
        with pytest.raises(Forbidden, match="history"):
            notes.edit_note(note, people["manager"], "поздно")
        with pytest.raises(Forbidden, match="history"):
            notes.delete_note(note, people["manager"])
    fresh = notes.add_note(deal, people["manager"], "Лишняя")
    notes.delete_note(fresh, people["manager"])
    db.session.commit()
    entries, _ = deal_timeline.page(deal, people["manager"])
    assert [e.item.text for e in entries if e.kind == "note"] == ["Исправлено, @director"]


def test_the_timeline_holds_every_kind_newest_first(people, deal):
    notes.add_note(deal, people["manager"], "Первая заметка")
    activity = activities.plan(deal, people["manager"], {"kind": "call", "summary": "Позвонить",
                                                         "due_at": (clock.now() + timedelta(days=1)).isoformat()})
    activities.done(activity, people["manager"], "Договорились о встрече")
    assignments.create_assignment(deal, {"title": "Смета", "performer": "manager2",
                                         "due_at": (clock.now() + timedelta(days=3)).date().isoformat()},
                                  people["manager"])
    db.session.commit()
    entries, more = deal_timeline.page(deal, people["analyst"])
    kinds = [e.kind for e in entries]
    assert not more
    assert kinds[-1] == "status" and entries[-1].item.kind == "created"
    assert kinds.index("assignment") < kinds.index("activity") < kinds.index("note") < kinds.index("status")
    assert [e.item.kind for e in entries if e.kind == "activity"] == ["done", "created"]
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)


def test_the_timeline_pages_without_gaps_or_repeats(people, deal):
    for n in range(45):
        note = notes.add_note(deal, people["manager"], f"Заметка {n}")
        note.created_at = deal.created_at + timedelta(seconds=n + 1)
    db.session.commit()
    seen, page_number, more = [], 1, True
    while more:
        entries, more = deal_timeline.page(deal, people["manager"], page_number, per_page=20)
        seen += [e.item.text if e.kind == "note" else e.kind for e in entries]
        page_number += 1
    assert page_number - 1 == 3
    assert seen == [f"Заметка {n}" for n in reversed(range(45))] + ["status"]


def _last_touch(deal):
    return db.session.scalar(select(rotting.last_touch()).where(Deal.id == deal.id))


def test_last_touch_is_the_latest_move_note_or_activity(people, deal):
    start = _last_touch(deal)
    assert abs(start - deal.status_changed_at) < timedelta(seconds=5)  # created: its history entry
    notes.add_note(deal, people["manager"], "Заметка").created_at = start + timedelta(days=2)
    db.session.commit()
    assert _last_touch(deal) > start + timedelta(days=1)
    activities.plan(deal, people["manager"], {"kind": "task", "summary": "КП",
                                              "due_at": (clock.now() + timedelta(days=1)).isoformat()})
    db.session.flush()
    for event in db.session.scalars(select(ActivityEvent)):
        event.at = start + timedelta(days=5)
    db.session.commit()
    assert _last_touch(deal) > start + timedelta(days=4)
    target = statuses.current_model().allowed(deal.status)[0]
    moves.move_deal(deal, target, people["manager"])
    db.session.commit()
    # the move is earlier than the (back-dated into the future) activity: the latest still wins
    assert _last_touch(deal) > start + timedelta(days=4)
    untouched = deals.create_deal({"company": "ООО «Тишина»"}, people["manager"])
    db.session.commit()
    stale = db.session.scalars(select(Deal.number).where(
        rotting.last_touch() < start + timedelta(days=3))).all()
    assert stale == [untouched.number]  # no note, no activity: its last move counts
