"""PostgreSQL: a pooled connection keeps the statements psycopg prepared on it across transactions that only
read (they end with COMMIT: a ROLLBACK makes psycopg forget them all), while a transaction that wrote is
rolled back as ever; the header's task count and the unfiltered board's cards run on a plan made once per
connection."""
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from engine.db import db, generic_plan, keep_prepared_statements
from tests.conftest import _pg_reachable, pg_url, require
from web.config import database_url

pytestmark = pytest.mark.pg

PROBE = "SELECT count(*) FROM kept_probe WHERE n > :n"


@pytest.fixture
def engine():
    url = pg_url()
    if not _pg_reachable(url):
        require(f"PostgreSQL not reachable at {url}")
    engine = create_engine(database_url(url), pool_size=1, max_overflow=0)
    keep_prepared_statements(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS kept_probe"))
        conn.execute(text("CREATE TABLE kept_probe (n integer)"))
    yield engine
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE kept_probe"))
    engine.dispose()


def _prepared(conn):
    return conn.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()


def test_transactions_that_only_read_leave_the_connection_its_prepared_statements(engine):
    for n in range(8):  # psycopg prepares a statement on its sixth run on a connection
        with engine.connect() as conn:  # each its own transaction, closed without a commit
            conn.execute(text(PROBE), {"n": n})
    with engine.connect() as conn:
        assert any("kept_probe" in statement for statement in _prepared(conn))


def test_a_transaction_that_wrote_is_rolled_back(engine):
    with engine.connect() as conn:
        conn.execute(text("INSERT INTO kept_probe VALUES (1)"))
        conn.execute(text(PROBE), {"n": 0})  # a read after the write does not make the transaction read-only
    with Session(engine) as session:
        session.execute(text("INSERT INTO kept_probe VALUES (2)"))
        session.rollback()
    with engine.connect() as conn:
        conn.execute(text("INSERT INTO kept_probe VALUES (3)"))
        conn.commit()
        conn.execute(text("INSERT INTO kept_probe VALUES (4)"))  # a new transaction after the commit
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM kept_probe")).scalars().all() == [3]


def test_a_generic_plan_is_made_once_and_later_statements_plan_for_their_values(engine):
    with Session(engine) as session:
        for n in range(8):
            with generic_plan(session):
                session.execute(text(PROBE), {"n": n})
            assert session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
            session.commit()
        generic = session.execute(text("SELECT generic_plans FROM pg_prepared_statements "
                                       "WHERE statement LIKE '%kept_probe%'")).scalar()
        assert generic >= 2


def test_the_header_task_count_runs_on_one_plan(people):
    from tasks import inbox
    for _ in range(8):  # in one transaction, on one connection
        assert inbox.count_my_tasks(people["manager"], cap=100) == 0
        assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
    generic = db.session.execute(text("SELECT max(generic_plans) FROM pg_prepared_statements "
                                      "WHERE statement LIKE '%ready_tasks%'")).scalar()
    assert generic and generic >= 2


def test_the_unfiltered_board_plans_its_cards_once_and_a_filtered_one_for_its_values(people):
    from processes import board, deals, journal
    for status in ("new", "new", "firstContact"):  # two columns: a page of cards each
        deals.create_deal({"company": "ООО «План»"}, people["manager"], status=status)
    db.session.commit()
    cards = "SELECT max(generic_plans), max(custom_plans) FROM pg_prepared_statements WHERE statement LIKE {}"
    for _ in range(8):  # in one transaction, on one connection
        assert sum(len(column.cards) for column in board.load_board(journal.Filters())) == 3
        assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
    generic, custom = db.session.execute(text(cards.format("'%UNION ALL%'"))).one()
    assert generic >= 2 and not custom
    mine = journal.Filters(responsible=[people["manager"].id])
    for _ in range(8):
        assert sum(len(column.cards) for column in board.load_board(mine)) == 3
    generic, custom = db.session.execute(text(cards.format("'%UNION ALL%responsible_id IN%'"))).one()
    assert custom >= 2 and not generic


def test_the_pool_lends_the_connection_returned_last(app):
    """The connection a request just used (holding the prepared statements) serves the next one, not a
    connection that sat idle."""
    with app.app_context():
        first, second = db.engine.connect(), db.engine.connect()
        pids = [conn.execute(text("SELECT pg_backend_pid()")).scalar() for conn in (first, second)]
        first.close()
        second.close()  # returned last
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar() == pids[1]
