"""deal touched: each deal keeps the time of its latest history entry, note or activity event, by triggers

A deal's last touch (``processes.rotting.last_touch``: the latest of when it entered its status and of its history
entries, notes and activity events) is read for every card and journal row of a status with rotDays, and by the
rotting filter and digest. It was three index probes per deal, one per table, on every such page: on the board,
a quarter of its cards' database time (3.9–4.0 ms with them, 2.9–3.2 without, 100,000 deals). ``deals.touched_at``
now holds the latest of the three, kept in the same transaction by triggers on each table: a row added moves it
forward; a row removed or re-dated (a note deleted, an entry back-dated by hand) recomputes it from the deal's rows.

Each table's triggers name ``deals``: on SQLite, a later migration copying ``deals``, ``deal_history``,
``deal_notes`` or ``activity_events`` in batch mode must ``drop_triggers()`` before it and ``create_triggers()``
after (with 0018's and 0021's, see there).

Run it with the app stopped, as any migration that adds a column: it locks ``deals`` and the three tables, and a
writer holding one of them while waiting for another (a note written meanwhile) would deadlock with it, which
PostgreSQL ends by aborting one of the two (the migration then runs again). The backfill rewrites every deal's
row: where autovacuum is off, VACUUM ``deals`` after it.

Revision ID: 0024_deal_touched
Revises: 0023_instance_cover
"""
from alembic import op
import sqlalchemy as sa

revision = '0024_deal_touched'
down_revision = '0023_instance_cover'
branch_labels = None
depends_on = None

# (table, its time column): what touches a deal.
TOUCHES = (("deal_history", "at"), ("deal_notes", "created_at"), ("activity_events", "at"))


def _latest(deal):
    """SQL: the latest time of the deal ``deal`` (an expression of its id) over the three tables; NULL with none
    (MAX over the three passes over NULLs, as GREATEST does only on PostgreSQL)."""
    times = " UNION ALL ".join(f"SELECT MAX({column}) AS t FROM {table} WHERE deal_id = {deal}"
                               for table, column in TOUCHES)
    return f"(SELECT MAX(t) FROM ({times}) AS touches)"


def _postgresql(table, column):
    # A recount locks the deal's row first and counts in the next statement, which (in a function, at READ
    # COMMITTED) sees what the transactions it waited for committed: counted in the statement that waited for the
    # lock, a row another transaction added meanwhile would be left out.
    lock = "PERFORM 1 FROM deals WHERE id = {0}.deal_id FOR UPDATE"
    recompute = f"UPDATE deals SET touched_at = {_latest('{0}.deal_id')} WHERE id = {{0}}.deal_id"
    return f"""
CREATE FUNCTION {table}_touch_deal() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE deals SET touched_at = NEW.{column}
      WHERE id = NEW.deal_id AND (touched_at IS NULL OR touched_at < NEW.{column});
  ELSIF TG_OP = 'UPDATE' THEN
    {lock.format('NEW')};
    {recompute.format('NEW')};
    IF OLD.deal_id IS DISTINCT FROM NEW.deal_id THEN {lock.format('OLD')}; {recompute.format('OLD')}; END IF;
  ELSE
    {lock.format('OLD')};
    {recompute.format('OLD')} AND (touched_at IS NULL OR touched_at <= OLD.{column});
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_touch_deal AFTER INSERT OR DELETE OR UPDATE OF {column}, deal_id ON {table}
  FOR EACH ROW EXECUTE FUNCTION {table}_touch_deal();
"""


def _sqlite(table, column):
    def recompute(row):
        return f"UPDATE deals SET touched_at = {_latest(f'{row}.deal_id')} WHERE id = {row}.deal_id"
    return [
        f"CREATE TRIGGER {table}_touch_insert AFTER INSERT ON {table} BEGIN UPDATE deals SET touched_at = "
        f"NEW.{column} WHERE id = NEW.deal_id AND (touched_at IS NULL OR touched_at < NEW.{column}); END",
        f"CREATE TRIGGER {table}_touch_update AFTER UPDATE OF {column}, deal_id ON {table} "
        f"BEGIN {recompute('NEW')}; {recompute('OLD')}; END",
        f"CREATE TRIGGER {table}_touch_delete AFTER DELETE ON {table} BEGIN {recompute('OLD')}; END",
    ]


def create_triggers():
    """This migration's triggers (see the module's note on batch copies)."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, column in TOUCHES:
        for statement in [_postgresql(table, column)] if postgresql else _sqlite(table, column):
            op.execute(statement)


def drop_triggers():
    for table, _column in TOUCHES:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER {table}_touch_deal ON {table}")
            op.execute(f"DROP FUNCTION {table}_touch_deal()")
        else:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_touch_{event}")


def upgrade():
    op.add_column('deals', sa.Column('touched_at', sa.DateTime(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":  # nothing may touch a deal between the backfill and the triggers
        op.execute("LOCK TABLE deal_history, deal_notes, activity_events IN SHARE MODE")
    op.execute(f"UPDATE deals SET touched_at = {_latest('deals.id')}")
    create_triggers()


def downgrade():
    drop_triggers()
    # Not a batch copy of ``deals``: on SQLite that would drop the table's other triggers (0018, 0021).
    op.execute("ALTER TABLE deals DROP COLUMN touched_at")
