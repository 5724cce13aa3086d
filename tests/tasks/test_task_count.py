"""The header's «my tasks» badge counts exactly what «Мои задачи» shows, by every ownership rule."""
from datetime import datetime, timedelta

from engine.db import db
from processes import deals, moves
from tasks import assignments, inbox


def counts_and_lists(people):
    return {name: (inbox.count_my_tasks(user), inbox.agenda(user).count) for name, user in people.items()}


def test_the_count_matches_the_list_for_owned_claimed_and_assigned_tasks(people):
    manager, manager2, director = people["manager"], people["manager2"], people["director"]
    deals.create_deal({"company": "ООО «Свой»"}, manager)                        # manager lane, responsible
    deals.create_deal({"company": "ООО «Ничей»", "responsible_id": ""}, manager)  # a group task: nobody's
    decided = deals.create_deal({"company": "ООО «Решение»"}, manager)
    db.session.commit()
    moves.move_deal(decided, "decision", manager)                                # director lane: group task
    db.session.commit()
    due = (datetime.now() + timedelta(days=1)).isoformat(timespec="minutes")
    assignments.create_assignment(decided, {"title": "Позвонить", "performer": "manager2", "due_at": due}, manager)
    db.session.commit()
    before = counts_and_lists(people)
    # each manager: their own step (a deal, an assignment) and the unowned deal to take; the director: the decision
    assert before["manager"] == (2, 2) and before["manager2"] == (2, 2) and before["director"] == (1, 1)
    task = next(t for t in inbox.group_tasks(director)[0] if t.deal.number == decided.number)
    inbox.claim(task.id, director)
    db.session.commit()
    after = counts_and_lists(people)
    assert after["director"] == (1, 1)
    assert all(count == listed for count, listed in after.values())
