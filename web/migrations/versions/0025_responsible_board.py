"""responsible board: one person's newest deals of a status from one index walk

The board filtered by a responsible (a manager's own board) reads each column's page as «this person's deals of
this status, newest first». No index gave that order: PostgreSQL walked the status's newest deals and discarded
everyone else's, so a column where the person has few deals read the whole status: 15 ms for a board of 245
cards with 100,000 deals, growing with the other managers' deals. ``ix_deals_responsible_status`` (responsible,
status, workflow) gains the deal number before the workflow: the same index then gives each column's page in
order and stops after it (0.6 ms), and still answers what it did from the index alone (one person's deals by
status and their workflows: the journal's and the API list's totals, the header's count).

PostgreSQL also learns how often each person has deals in each status (extended statistics, the most common
pairs): it otherwise multiplies the two columns' frequencies, takes a column where a person has one deal among
thousands of others' for one with hundreds of theirs, and walks all the deals by number to find it.

Revision ID: 0025_responsible_board
Revises: 0024_deal_touched
"""
from alembic import op

revision = '0025_responsible_board'
down_revision = '0024_deal_touched'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_deals_responsible_status_number', 'deals', ['responsible_id', 'status', 'number', 'workflow_id'],
                    unique=False)
    op.drop_index('ix_deals_responsible_status', table_name='deals')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE STATISTICS st_deals_responsible_status (mcv) ON responsible_id, status FROM deals")
        op.execute("ANALYZE deals")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP STATISTICS st_deals_responsible_status")
    op.create_index('ix_deals_responsible_status', 'deals', ['responsible_id', 'status', 'workflow_id'], unique=False)
    op.drop_index('ix_deals_responsible_status_number', table_name='deals')
