"""responsible board: one person's newest deals of a status from one index walk

The board filtered by a responsible (a manager's own board) finds each column's page as «this person's deals of
this status, newest first». No index gave that order, and PostgreSQL, multiplying the two columns' frequencies,
took a column where a person has a few deals among thousands of others' for one with hundreds of theirs: it
walked the status's newest deals (or all deals by number) and discarded everyone else's. The board of a manager
with 245 cards read whole statuses: 15.2 ms for its cards' statement with 100,000 deals, growing with the others'
deals; 0.75 ms with this index.

``ix_deals_responsible_status`` (responsible, status, workflow) becomes (responsible, status, number, id): each
column's page in order and its ids from the index alone, as ``ix_deals_status_number`` gives an unfiltered
column's, the walk stopping after the page. Read from the index alone, it is cheap enough that the planner takes
it whatever it guesses of a person's share of a status. Nothing read the workflow from the old index: the header's
count has its own (0021), and the totals by status and responsible come from the running totals (0018).

Revision ID: 0025_responsible_board
Revises: 0024_deal_touched
"""
from alembic import op

revision = '0025_responsible_board'
down_revision = '0024_deal_touched'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_deals_responsible_status_number', 'deals', ['responsible_id', 'status', 'number', 'id'],
                    unique=False)
    op.drop_index('ix_deals_responsible_status', table_name='deals')


def downgrade():
    op.create_index('ix_deals_responsible_status', 'deals', ['responsible_id', 'status', 'workflow_id'], unique=False)
    op.drop_index('ix_deals_responsible_status_number', table_name='deals')
