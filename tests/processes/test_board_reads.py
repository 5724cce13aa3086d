"""PostgreSQL: what the board reads for its cards. Every card carries its workflow's diagram version and state
(where it may be dropped, whether it stopped with an error); the board reads them from an index, not from the
workflow rows, each of which holds a whole serialized workflow."""
import pytest
from sqlalchemy import text

from engine.db import db
from processes import board, deals, journal, statuses
from tests.plans import heap_rows_read

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
