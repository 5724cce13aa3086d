"""PostgreSQL: what the board reads for its cards. Every card carries its workflow's diagram version and state
(where it may be dropped, whether it stopped with an error); the board reads them from an index, not from the
workflow rows, each of which holds a whole serialized workflow."""
import pytest
from sqlalchemy import text

from engine.db import db
from processes import board, deals, journal, statuses
from processes.models import Deal
from tests.plans import heap_rows_read, rows_read

pytestmark = pytest.mark.pg


def _vacuum(table):
    """What autovacuum does to a live table: its visibility map, without which no read is from an index alone."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"VACUUM ANALYZE {table}"))


def test_the_boards_cards_read_their_workflows_from_an_index(ctx, people):
    for i, status in enumerate(["new"] * 6 + ["firstContact"] * 4 + ["decision"] * 2):
        deals.create_deal({"company": f"ООО «Карточка {i}»"}, people["manager"], status=status)
    db.session.commit()
    _vacuum("workflow_instances")
    model = statuses.current_model()
    columns = board.load_board(journal.Filters(), user=people["manager"])
    cards = [card for column in columns for card in column.cards]
    assert len(cards) == 12 and all(card.definition_id for card in cards)
    assert {card.workflow_state for card in cards} == {"running"}
    wanted = tuple(column.status.code for column in columns if column.count)
    statement = board._first_cards_query(journal.Filters(), model, wanted, board.PAGE)
    assert heap_rows_read(statement, "workflow_instances") == 0


def _copies(deal, count, owners):
    """``count`` copies of a deal's row (without a workflow), newer than every deal, their (responsible id,
    status) taken in turn from ``owners``."""
    kept = [c.name for c in Deal.__table__.columns
            if c.name not in ("id", "number", "workflow_id", "responsible_id", "status")]
    db.session.execute(text(
        f"INSERT INTO deals (number, responsible_id, status, {', '.join(kept)}) "
        f"SELECT (SELECT max(number) FROM deals) + g, (CAST(:people AS int[]))[1 + g % :k], "
        f"(CAST(:statuses AS text[]))[1 + g % :k], {', '.join(kept)} "
        f"FROM deals, generate_series(1, :count) g WHERE id = :id"),
        {"people": [person for person, _status in owners], "statuses": [status for _person, status in owners],
         "k": len(owners), "count": count, "id": deal.id})


# Who owns the copies, in turn: the manager ("mine") and two others, each in a status.
LAYOUTS = {
    "a quarter of one status": [("mine", "new"), ("other", "new"), ("other", "firstContact"),
                                ("third", "firstContact")],
    "one in forty of a status": [("mine", "new")] + [("other", "new")] * 29 + [("mine", "decision")] * 10,
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_responsibles_board_reads_only_the_cards_it_shows(ctx, people, layout):
    """A manager's own board (filtered by responsible) finds each column's page where an index walk stops after
    it, from the index alone: it reads as many rows of ``deals`` as it shows cards, with 1,200 or 4,800 deals
    around, whether the manager has a quarter of a status or one deal in forty, and in a column where they
    have one old deal under thousands of others'."""
    manager = people["manager"]
    who = {"mine": manager.id, "other": people["manager2"].id, "third": people["director"].id}
    deals.create_deal({"company": "ООО «Своя в первом контакте»"}, manager, status="firstContact")
    template = deals.create_deal({"company": "ООО «Копия»"}, manager, status="new")
    filters = journal.Filters(responsible=[manager.id])
    for more in (1200, 3600):
        _copies(template, more, [(who[owner], status) for owner, status in LAYOUTS[layout]])
        db.session.commit()
        _vacuum("deals")
        model = statuses.current_model()
        columns = board.load_board(filters, user=manager)
        shown = sum(len(column.cards) for column in columns)
        assert shown > 50 and {c.status.code for c in columns if c.cards} >= {"new", "firstContact"}
        wanted = tuple(column.status.code for column in columns if column.count)
        assert rows_read(board._first_pages(filters, model, wanted, board.PAGE), "deals") == shown, more
