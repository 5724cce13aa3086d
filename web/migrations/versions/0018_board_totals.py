"""board totals: per status and responsible, kept by triggers on deals as append-only deltas

The board's column headers (count and budget sum per status) read these few rows instead of every deal.
Every change of a deal's status, budget or responsible — whatever code makes it — adds its delta here in
the same transaction, from the database itself: rows are only ever added, so concurrent moves never wait
on one another's totals; ``processes.board.fold_totals`` sums them into one row per key now and then.

SQLite drops a table's triggers when a batch migration copies the table: a later migration that alters
``deals`` in batch mode must create them again (``create_triggers``).

Revision ID: 0018_board_totals
Revises: 0017_analytics_stays
"""
from alembic import op
import sqlalchemy as sa

revision = '0018_board_totals'
down_revision = '0017_analytics_stays'
branch_labels = None
depends_on = None

# A delta row of the deal as it is ({0} = NEW, {1} = "") or as it was ({0} = OLD, {1} = "-").
_ROW = ("INSERT INTO deal_totals (status, responsible_id, deals, budget) "
        "VALUES ({0}.status, {0}.responsible_id, {1}1, {1}COALESCE({0}.budget, 0))")

POSTGRESQL = f"""
CREATE FUNCTION deal_totals_track() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status
     AND NEW.budget IS NOT DISTINCT FROM OLD.budget AND NEW.responsible_id IS NOT DISTINCT FROM OLD.responsible_id THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    {_ROW.format('OLD', '-')};
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    {_ROW.format('NEW', '')};
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER deal_totals_track AFTER INSERT OR DELETE OR UPDATE OF status, budget, responsible_id ON deals
  FOR EACH ROW EXECUTE FUNCTION deal_totals_track();
"""

SQLITE = [
    f"CREATE TRIGGER deal_totals_insert AFTER INSERT ON deals BEGIN {_ROW.format('NEW', '')}; END",
    f"CREATE TRIGGER deal_totals_delete AFTER DELETE ON deals BEGIN {_ROW.format('OLD', '-')}; END",
    "CREATE TRIGGER deal_totals_update AFTER UPDATE OF status, budget, responsible_id ON deals "
    "WHEN NEW.status IS NOT OLD.status OR NEW.budget IS NOT OLD.budget "
    "OR NEW.responsible_id IS NOT OLD.responsible_id "
    f"BEGIN {_ROW.format('OLD', '-')}; {_ROW.format('NEW', '')}; END",
]


def create_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL)
    else:
        for statement in SQLITE:
            op.execute(statement)


def upgrade():
    op.create_table(
        'deal_totals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=100), nullable=False),
        sa.Column('responsible_id', sa.Integer(), nullable=True),
        sa.Column('deals', sa.Integer(), nullable=False),
        sa.Column('budget', sa.Numeric(precision=18, scale=2), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_totals')),
    )
    op.execute("INSERT INTO deal_totals (status, responsible_id, deals, budget) "
               "SELECT status, responsible_id, COUNT(*), COALESCE(SUM(budget), 0) FROM deals "
               "GROUP BY status, responsible_id")
    create_triggers()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER deal_totals_track ON deals")
        op.execute("DROP FUNCTION deal_totals_track()")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER deal_totals_{name}")
    op.drop_table('deal_totals')
