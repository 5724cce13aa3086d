"""task counts: an index for the header's «Мои задачи» count (one person's deals by status, with their workflow)

Revision ID: 0016_task_counts
Revises: 0012_analytics
"""
from alembic import op

revision = '0016_task_counts'
down_revision = '0012_analytics'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_deals_responsible_status', 'deals', ['responsible_id', 'status', 'workflow_id'], unique=False)


def downgrade():
    op.drop_index('ix_deals_responsible_status', table_name='deals')
