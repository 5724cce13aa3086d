"""The SQLAlchemy extension shared by every layer, bound by ``web.create_app``."""
import re
from collections import namedtuple
from contextlib import contextmanager

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event, literal, literal_column, text

# Named constraints keep Alembic migrations portable between SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))


def database_answers():
    """Whether the database answers a trivial query now (for a load balancer's health check)."""
    from sqlalchemy.exc import SQLAlchemyError
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        db.session.rollback()
        return False
    finally:
        db.session.remove()


def keep_prepared_statements(engine):
    """PostgreSQL: let each pooled connection keep the statements psycopg prepared on it.

    psycopg prepares a statement a connection has run five times, and forgets all of them on ROLLBACK (after
    one the server may have dropped what they name). A request that only read ends its transaction with a
    ROLLBACK, so every request planned its statements anew. Here a transaction that ran nothing but SELECTs
    ends with COMMIT instead — the same for a transaction that wrote nothing — and its connection keeps its
    prepared statements. Plans stay custom (made for each call's values, as unprepared statements are), but
    for a statement run under ``generic_plan``.
    """
    if engine.dialect.name != "postgresql":
        return
    from psycopg.pq import TransactionStatus

    @event.listens_for(engine, "connect")
    def _custom_plans(dbapi_connection, _record):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_custom_plan")
        dbapi_connection.commit()

    @event.listens_for(engine, "before_cursor_execute")
    def _note_writes(connection, _cursor, statement, _parameters, _context, _many):
        if not statement.lstrip()[:6].upper() == "SELECT":
            connection.info[_WROTE] = True

    @event.listens_for(engine, "commit")
    def _committed(connection):
        connection.info.pop(_WROTE, None)

    @event.listens_for(engine, "rollback")
    def _read_only_commits(connection):
        wrote = connection.info.pop(_WROTE, False)
        dbapi_connection = connection.connection.dbapi_connection
        if not wrote and dbapi_connection.info.transaction_status == TransactionStatus.INTRANS:
            dbapi_connection.commit()  # then SQLAlchemy's ROLLBACK finds no transaction and sends nothing


_WROTE = "dealflow_wrote"
_PLAN_MODE = "SET LOCAL plan_cache_mode"


@contextmanager
def generic_plan(session):
    """Run the statements of the block with PostgreSQL's generic plan, made once per connection for any values.

    For a statement whose planning costs more than running it, as the header's task count (nine parts, each
    an index probe): prepared and kept (``keep_prepared_statements``), it is planned once per connection
    instead of on every page. Only for a statement whose best plan does not depend on its values.
    """
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    driver = session.connection().connection.driver_connection  # a SET costs a third of it through SQLAlchemy
    driver.execute(f"{_PLAN_MODE} = force_generic_plan")
    yield
    driver.execute(f"{_PLAN_MODE} = force_custom_plan")


def written_in(values):
    """Strings as SQL literals rather than bound parameters, for ``IN`` lists fixed by the statement's own build
    (a diagram's status codes in a statement built once per diagram). A list bound as parameters is expanded
    into the SQL anew at every execution, and the longer SQL then missed psycopg's cache of parsed statements
    (4,096 characters): the header's task count spent 0.3 ms of CPU a page on both. Only a word (letters, digits,
    ``_ . -``) is written in; any other value stays a bound parameter, so no quoting rule is relied on."""
    return [literal_column(f"'{value}'") if _WORD.fullmatch(value) else literal(value) for value in values]


_WORD = re.compile(r"[\w.-]+")


def plain_rows(result):
    """The rows of a SQLAlchemy result as named tuples: a ``Row`` reads an attribute in about 0.5 µs, a named
    tuple in 0.04, and a page that reads a dozen attributes of each of hundreds of rows (the board's cards)
    spent milliseconds on it. The tuple type is made once per set of column names."""
    keys = tuple(result.keys())
    kind = _ROW_TYPES.get(keys)
    if kind is None:
        kind = _ROW_TYPES[keys] = namedtuple("PlainRow", keys, rename=True)
    make = kind._make
    return [make(row) for row in result]


_ROW_TYPES = {}
