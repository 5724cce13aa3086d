"""API count: an index answering «how many of one person's deals» (the API list's and the journal's total
by responsible, the header's «Мои задачи» count joining them to their ready tasks by workflow) from the index
alone, instead of reading every one of those deals' rows

Revision ID: 0016_api_count
Revises: 0012_analytics
"""
from alembic import op

revision = '0016_api_count'
down_revision = '0012_analytics'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_deals_responsible_status', 'deals', ['responsible_id', 'status', 'workflow_id'], unique=False)


def downgrade():
    op.drop_index('ix_deals_responsible_status', table_name='deals')
