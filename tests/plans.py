"""How many rows of a table PostgreSQL reads to run a statement (EXPLAIN ANALYZE): what a test of «costs no more
with more data» counts, since timings are for bench/. Sequential scans are off so that a test's few rows are
planned as large tables are, through their indexes."""
import json

from sqlalchemy import text

from engine.db import db


def rows_read(statement, table):
    """Rows of ``table`` read (returned by its scans, or read and filtered out) to run ``statement``."""
    return _read(statement, table)[0]


def rows_and_blocks_read(statement, table):
    """(``rows_read``, the buffer blocks the whole statement touched: index and table pages alike)."""
    return _read(statement, table)


def heap_rows_read(statement, table):
    """Rows of ``table`` fetched from the table itself, not answered from an index alone (``Heap Fetches`` of an
    index-only scan: run VACUUM first, so that the visibility map says which pages need none)."""
    return _read(statement, table, heap=True)[0]


def _read(statement, table, heap=False):
    sql = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = db.session.scalar(text(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}"))
    db.session.rollback()
    top = (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]

    def rows(node):
        if node.get("Relation Name") != table:
            own = 0
        elif heap and node.get("Node Type") == "Index Only Scan":
            own = node.get("Heap Fetches", 0)  # over all its loops (the rows are per loop)
        else:
            own = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * node.get("Actual Loops", 1)
        return own + sum(rows(child) for child in node.get("Plans", []))
    return rows(top), top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
