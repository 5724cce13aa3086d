"""responsible's tasks: each deal counts its open tasks that belong to its responsible, kept by triggers

A deal's own ready task that no instance-data variable owns and that sits in the ``manager`` lane belongs to the
deal's responsible (``tasks.inbox``). ``deals.responsible_tasks`` counts them, from the database itself in the
same transaction as the change: triggers on ``ready_tasks`` (a task added, removed, or replaced by a move into
another lane) and on ``deals`` (a deal given a workflow). A partial index holds the deals that have any, by
responsible and status, so the header's «Мои задачи» count walks only one person's deals that have such a task —
no longer every deal of theirs waiting in another lane (the director's decision), probed one by one.

A move within one lane replaces its ready task by an UPDATE that changes neither lane nor assignee: no trigger
writes then.

Revision ID: 0021_responsible_tasks
Revises: 0020_page_indexes
"""
from alembic import op
import sqlalchemy as sa

revision = '0021_responsible_tasks'
down_revision = '0020_page_indexes'
branch_labels = None
depends_on = None

# The lane whose unowned tasks belong to the deal's responsible (tasks.inbox.OWNER_LANE).
_OWNED = "{0}.lane = 'manager' AND {0}.assignee IS NULL"
# Counted with FILTER, not in the WHERE: only the instance's index can be chosen to find them (without statistics,
# as in a bulk copy into a new database, PostgreSQL took the lane's index and read every manager task per deal).
_COUNT = (f"(SELECT COUNT(*) FILTER (WHERE {_OWNED.format('ready_tasks')}) FROM ready_tasks "
          "WHERE ready_tasks.instance_id = {0}.workflow_id)")
_STEP = "UPDATE deals SET responsible_tasks = responsible_tasks {1} 1 WHERE workflow_id = {0}.instance_id"

POSTGRESQL = f"""
CREATE FUNCTION ready_tasks_count_responsible() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND {_OWNED.format('OLD')} THEN
    {_STEP.format('OLD', '-')};
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND {_OWNED.format('NEW')} THEN
    {_STEP.format('NEW', '+')};
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER ready_tasks_count_responsible AFTER INSERT OR DELETE ON ready_tasks
  FOR EACH ROW EXECUTE FUNCTION ready_tasks_count_responsible();
CREATE TRIGGER ready_tasks_recount_responsible AFTER UPDATE OF lane, assignee, instance_id ON ready_tasks
  FOR EACH ROW WHEN (OLD.instance_id IS DISTINCT FROM NEW.instance_id
                     OR ({_OWNED.format('OLD')}) IS DISTINCT FROM ({_OWNED.format('NEW')}))
  EXECUTE FUNCTION ready_tasks_count_responsible();
CREATE FUNCTION deals_count_responsible() RETURNS trigger AS $$
BEGIN
  NEW.responsible_tasks := {_COUNT.format('NEW')};
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER deals_count_responsible BEFORE INSERT OR UPDATE OF workflow_id ON deals
  FOR EACH ROW EXECUTE FUNCTION deals_count_responsible();
"""

_RECOUNT = "UPDATE deals SET responsible_tasks = {0} WHERE id = NEW.id".format(_COUNT.format('NEW'))
SQLITE = [
    f"CREATE TRIGGER ready_tasks_count_insert AFTER INSERT ON ready_tasks WHEN {_OWNED.format('NEW')} "
    f"BEGIN {_STEP.format('NEW', '+')}; END",
    f"CREATE TRIGGER ready_tasks_count_delete AFTER DELETE ON ready_tasks WHEN {_OWNED.format('OLD')} "
    f"BEGIN {_STEP.format('OLD', '-')}; END",
    "CREATE TRIGGER ready_tasks_count_update AFTER UPDATE OF lane, assignee, instance_id ON ready_tasks "
    f"WHEN OLD.instance_id IS NOT NEW.instance_id OR ({_OWNED.format('OLD')}) IS NOT ({_OWNED.format('NEW')}) "
    f"BEGIN {_STEP.format('OLD', '-')} AND {_OWNED.format('OLD')}; "
    f"{_STEP.format('NEW', '+')} AND {_OWNED.format('NEW')}; END",
    f"CREATE TRIGGER deals_count_insert AFTER INSERT ON deals WHEN NEW.workflow_id IS NOT NULL "
    f"BEGIN {_RECOUNT}; END",
    "CREATE TRIGGER deals_count_update AFTER UPDATE OF workflow_id ON deals "
    f"WHEN NEW.workflow_id IS NOT OLD.workflow_id BEGIN {_RECOUNT}; END",
]


_SQLITE_TRIGGERS = ("ready_tasks_count_insert", "ready_tasks_count_delete", "ready_tasks_count_update",
                    "deals_count_insert", "deals_count_update")


def create_triggers():
    """This migration's triggers. Each table's triggers name the other table, so on SQLite a later migration
    copying ``deals`` or ``ready_tasks`` in batch mode (which renames the copy, and SQLite checks every trigger on
    a rename) must ``drop_triggers()`` — and 0018's ``deals`` triggers — before it, and create them again after."""
    for statement in [POSTGRESQL] if op.get_bind().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def drop_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER deals_count_responsible ON deals")
        op.execute("DROP FUNCTION deals_count_responsible()")
        op.execute("DROP TRIGGER ready_tasks_recount_responsible ON ready_tasks")
        op.execute("DROP TRIGGER ready_tasks_count_responsible ON ready_tasks")
        op.execute("DROP FUNCTION ready_tasks_count_responsible()")
    else:
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")


def upgrade():
    op.add_column('deals', sa.Column('responsible_tasks', sa.Integer(), nullable=False, server_default='0'))
    if op.get_bind().dialect.name == "postgresql":  # no task may change between the count and its triggers
        op.execute("LOCK TABLE ready_tasks IN SHARE MODE")
    op.execute("UPDATE deals SET responsible_tasks = {0} WHERE workflow_id IN (SELECT instance_id FROM ready_tasks "
               "WHERE {1})".format(_COUNT.format('deals'), _OWNED.format('ready_tasks')))
    op.create_index('ix_deals_responsible_tasks', 'deals', ['responsible_id', 'status', 'workflow_id'],
                    unique=False, postgresql_where=sa.text('responsible_tasks > 0'),
                    sqlite_where=sa.text('responsible_tasks > 0'))
    create_triggers()


def downgrade():
    drop_triggers()
    op.drop_index('ix_deals_responsible_tasks', table_name='deals')
    # Not a batch copy of ``deals``: on SQLite that would drop the table's other triggers (0018).
    op.execute("ALTER TABLE deals DROP COLUMN responsible_tasks")
