"""journal: an index for «the deals of a status, biggest budget first» (a status filter sorted by budget)

Revision ID: 0008_journal_status_budget
Revises: 0007_merge_heads
"""
from alembic import op

revision = '0008_journal_status_budget'
down_revision = '0007_merge_heads'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_deals_status_budget', 'deals', ['status', 'budget'], unique=False)


def downgrade():
    op.drop_index('ix_deals_status_budget', table_name='deals')
