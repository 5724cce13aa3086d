"""How many rows of a table PostgreSQL reads to run a statement (EXPLAIN ANALYZE): what a test of «costs no more
with more data» counts, since timings are for bench/. Sequential scans are off so that a test's few rows are
planned as large tables are, through their indexes."""
import json

from sqlalchemy import text

from engine.db import db


def rows_read(statement, table):
    """Rows of ``table`` read (returned by its scans, or read and filtered out) to run ``statement``."""
    sql = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = db.session.scalar(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}"))
    db.session.rollback()

    def rows(node):
        read = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
        own = read * node.get("Actual Loops", 1) if node.get("Relation Name") == table else 0
        return own + sum(rows(child) for child in node.get("Plans", []))
    return rows((plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"])
