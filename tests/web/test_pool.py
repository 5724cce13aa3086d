"""Pooled connections: one that sat idle is asked whether it still answers before it is lent; a dead one
is replaced. One in steady use is lent without a round trip (a dead one then fails that request alone)."""
import pytest
from sqlalchemy import create_engine, exc, text

from tests.conftest import _pg_reachable, pg_url, require
from web import ping_idle_connections
from web.config import database_url


def _engine(url, idle_seconds):
    engine = create_engine(database_url(url), pool_size=1, max_overflow=0)
    ping_idle_connections(engine, idle_seconds)
    return engine


def _pooled_then_killed(engine, kill):
    """Use the pool's one connection, give it back, then break it underneath."""
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        conn.execute(text("select 1"))
    kill(raw)


def test_a_dead_idle_sqlite_connection_is_replaced(tmp_path):
    engine = _engine(f"sqlite:///{tmp_path / 'pool.db'}", idle_seconds=0)
    _pooled_then_killed(engine, lambda raw: raw.close())
    with engine.connect() as conn:
        assert conn.execute(text("select 1")).scalar() == 1


def test_a_connection_in_steady_use_is_lent_without_a_ping(tmp_path):
    engine = _engine(f"sqlite:///{tmp_path / 'pool.db'}", idle_seconds=3600)
    _pooled_then_killed(engine, lambda raw: raw.close())
    with pytest.raises(exc.DBAPIError):
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    with engine.connect() as conn:  # the failure invalidated it: the next one is new
        assert conn.execute(text("select 1")).scalar() == 1


@pytest.mark.pg
def test_a_postgresql_connection_whose_backend_ended_is_replaced():
    url = pg_url()
    if not _pg_reachable(url):
        require(f"PostgreSQL not reachable at {url}")
    engine, admin = _engine(url, idle_seconds=0), create_engine(database_url(url))
    pids = []

    def terminate(raw):
        pids.append(raw.info.backend_pid)
        with admin.connect() as conn:
            conn.execute(text("select pg_terminate_backend(:pid)"), {"pid": pids[0]})
            conn.commit()

    _pooled_then_killed(engine, terminate)
    with engine.connect() as conn:
        assert conn.execute(text("select pg_backend_pid()")).scalar() != pids[0]
    engine.dispose()
    admin.dispose()
