"""The assignment domain without HTTP: create, the performer's inbox, a verdict, refusals as domain errors."""
from datetime import datetime, timedelta

import pytest

from engine.db import db
from processes import deals
from processes.errors import Conflict, Forbidden, ValidationError
from tasks import assignments, inbox


@pytest.fixture
def deal(people):
    made = deals.create_deal({"company": "ООО «Вектор»"}, people["manager"])
    db.session.commit()
    return made


def due_tomorrow():
    return (datetime.now() + timedelta(days=1)).isoformat(timespec="minutes")


def test_an_assignment_waits_in_the_performers_inbox(people, deal):
    made = assignments.create_assignment(deal, {"title": "Позвонить", "performer": "manager2",
                                                "due_at": due_tomorrow()}, people["manager"])
    db.session.commit()
    assert made.performer == people["manager2"] and made.status
    assert assignments.open_task(made) is not None
    assert inbox.my_tasks(people["manager2"])[0] != []


def test_the_performers_verdict_moves_it_and_a_stale_version_is_a_conflict(people, deal):
    made = assignments.create_assignment(deal, {"title": "Позвонить", "performer": "manager2",
                                                "due_at": due_tomorrow()}, people["manager"])
    db.session.commit()
    first = made.status
    assignments.decide(made, "take", people["manager2"])
    db.session.commit()
    assert made.status != first
    with pytest.raises(Conflict):
        assignments.decide(made, "done", people["manager2"], expected_version=1)


def test_refusals_are_domain_errors(people, deal):
    with pytest.raises(ValidationError) as refused:
        assignments.create_assignment(deal, {"title": "", "due_at": due_tomorrow()}, people["manager"])
    assert set(refused.value.errors) >= {"title", "performer"}
    with pytest.raises(Forbidden):
        assignments.create_assignment(deal, {"title": "Отчёт", "performer": "manager2", "due_at": due_tomorrow()},
                                      people["analyst"])
