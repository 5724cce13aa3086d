"""Acceptance: a deal moved 2,000 times still works, its workflow stays small, its history is whole."""
import pytest
from sqlalchemy import func, select, text

from engine.db import db
from engine.instances import Instance
from processes import deals, moves, rotting, statuses
from processes.models import Deal, DealHistory
from processes.records.workflow import TREE_BOUND
from tests.plans import rows_and_blocks_read

MOVES = 2000


def manager_targets(model, code):
    """Statuses a manager may move to from ``code`` (not the director's lane, not the end)."""
    return [c for c in model.allowed(code) if model.get(c).lane != "director" and not model.get(c).final]


def test_a_deal_survives_2000_moves(ctx, people):
    manager = people["manager"]
    deal = deals.create_deal({"company": "ООО «Долгая сделка»"}, manager)
    db.session.commit()
    model = statuses.current_model()
    sizes, expected = [], deal.status
    for i in range(MOVES):
        options = manager_targets(model, deal.status)
        expected = options[(i * 7) % len(options)]
        moves.move_deal(deal, expected, manager, comment=f"шаг {i}", expected_version=deal.version)
        db.session.commit()
        if i % 250 == 0 or i == MOVES - 1:
            sizes.append(Instance.load(deal.workflow_id).size)

    db.session.expire_all()
    deal = deals.get_deal(deal.number)
    assert deal.status == expected and deal.stage == model.get(expected).stage
    instance = Instance.load(deal.workflow_id)
    ready = instance.ready_tasks()
    assert [t.node_id for t in ready] == [model.get(expected).node_id]
    # The tree is bounded: it does not grow with the number of moves.
    assert max(sizes) <= 2 * TREE_BOUND, sizes
    entries = db.session.scalar(select(func.count()).where(DealHistory.deal_id == deal.id,
                                                           DealHistory.kind == "move"))
    assert entries == MOVES
    last = deals.history(deal)[-1]
    assert (last.to_status, last.comment) == (expected, f"шаг {MOVES - 1}")
    # And it still moves, all the way to the director's decision and the end.
    moves.move_deal(deal, "decision", manager)
    moves.move_deal(deal, "completed", people["director"])
    db.session.commit()
    assert deals.get_deal(deal.number).status == "completed"
    assert Instance.load(deal.workflow_id).completed


@pytest.mark.pg
def test_a_long_history_costs_a_deals_last_touch_nothing_more(ctx, people):
    """Every card and journal row of a status with rotDays shows how long its deal has been idle: its last touch
    is read with the deal (``deals.touched_at``), no history entry and the same few pages, whether the deal has
    3 entries or 2,001 (and other deals were touched since)."""
    deal = deals.create_deal({"company": "ООО «Давняя»"}, people["manager"])
    others = [deals.create_deal({"company": f"ООО «Свежая {i}»"}, people["manager"]).id for i in range(3)]
    db.session.commit()
    touch = select(rotting.last_touch()).where(Deal.id == deal.id)
    read = []
    for more in (2, 1998):
        db.session.execute(text(
            "INSERT INTO deal_history (deal_id, at, kind, from_status, to_status, comment) "
            "SELECT :deal, now() - interval '30 days' - g * interval '1 minute', 'move', 'new', 'new', '' "
            "FROM generate_series(1, :more) g"), {"deal": deal.id, "more": more})
        db.session.execute(text(  # newer entries of other deals: a walk by time would pass them
            "INSERT INTO deal_history (deal_id, at, kind, from_status, to_status, comment) "
            "SELECT d, now() - g * interval '1 minute', 'move', 'new', 'new', '' "
            "FROM unnest(CAST(:others AS int[])) d, generate_series(1, :more) g"), {"others": others, "more": more})
        db.session.commit()
        assert db.session.scalar(touch) is not None
        read.append(rows_and_blocks_read(touch, "deal_history"))
    assert [rows for rows, _ in read] == [0, 0]
    assert read[1][1] <= read[0][1] + 1, read  # the same few pages
