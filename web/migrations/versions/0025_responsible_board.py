"""responsible board: one person's newest deals of a status from one index walk

The board filtered by a responsible (a manager's own board) finds each column's page as «this person's deals of
this status, newest first». No index gave that order, and PostgreSQL, multiplying the two columns' frequencies,
took a column where a person has a few deals among thousands of others' for one with hundreds of theirs: it
walked the status's newest deals (or all deals by number) and discarded everyone else's. The board of a manager
with 245 cards read whole statuses: 15.2 ms for its cards' statement with 100,000 deals, growing with the others'
deals. Two remedies, each enough on that board, both kept:

- ``ix_deals_responsible_status`` (responsible, status, workflow) gains the deal number before the workflow: the
  same index gives each column's page in order and stops after it (0.96 ms; the board of the manager owning
  10,000 deals 2.3 → 1.5 ms), and still answers what it did from the index alone (one person's deals by status
  and their workflows: the journal's and the API list's totals, the header's count);
- on PostgreSQL, extended statistics of the most common (responsible, status) pairs, so that the planner knows
  how many deals a person has in each status (0.86 ms without the new index). A smaller table (a few thousand
  deals) needs them: without, the planner still walks all deals by number for a column where the person has one
  (tests/processes/test_board_reads.py).

Where autovacuum is off, the statistics are filled by the ANALYZE this migration runs and by later ones.

Revision ID: 0025_responsible_board
Revises: 0024_deal_touched
"""
from alembic import op

revision = '0025_responsible_board'
down_revision = '0024_deal_touched'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_deals_responsible_status_number', 'deals',
                    ['responsible_id', 'status', 'number', 'workflow_id'], unique=False)
    op.drop_index('ix_deals_responsible_status', table_name='deals')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE STATISTICS st_deals_responsible_status (mcv) ON responsible_id, status FROM deals")
        op.execute("ANALYZE deals")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP STATISTICS st_deals_responsible_status")
    op.create_index('ix_deals_responsible_status', 'deals', ['responsible_id', 'status', 'workflow_id'], unique=False)
    op.drop_index('ix_deals_responsible_status_number', table_name='deals')
