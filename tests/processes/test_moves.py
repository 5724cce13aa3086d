"""A deal's moves without HTTP: allowed moves, a stale version, a claim, refusals as domain errors."""
import pytest

from engine.db import db
from processes import deals, moves, statuses
from processes.errors import Conflict, Forbidden, InvalidTransition


@pytest.fixture
def deal(people):
    made = deals.create_deal({"company": "ООО «Вектор»"}, people["manager"])
    db.session.commit()
    return made


def test_a_deal_moves_to_an_allowed_status_and_records_it(people, deal):
    target = statuses.current_model().allowed(deal.status)[0]
    moves.move_deal(deal, target, people["manager"], comment="дальше")
    db.session.commit()
    assert deal.status == target


def test_a_stale_version_is_a_conflict(people, deal):
    with pytest.raises(Conflict):
        deals.update_deal(deal, {"name": "Новое имя"}, people["manager"], expected_version=deal.version + 5)


def test_a_status_the_diagram_has_no_move_to_is_refused(people, deal):
    with pytest.raises(InvalidTransition, match="unknown status 'no-such-status'"):
        moves.move_deal(deal, "no-such-status", people["manager"])


def test_an_analyst_creates_no_deal(people):
    with pytest.raises(Forbidden):
        deals.create_deal({"company": "ООО «Вектор»"}, people["analyst"])
