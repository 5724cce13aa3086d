"""task count: the header's «Мои задачи» count checks each due activity's deal from indexes alone — one owner's
open activities index carries the deal, and a deal's status is found by its id in an index (no visit to each
activity's row, nor to each deal's)

Revision ID: 0019_task_count
Revises: 0018_board_totals
"""
from alembic import op

revision = '0019_task_count'
down_revision = '0018_board_totals'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_deals_id_status', 'deals', ['id', 'status'], unique=False)
    op.drop_index('ix_activities_owner_open', table_name='activities')
    op.create_index('ix_activities_owner_open', 'activities', ['owner_id', 'done_at', 'due_at', 'deal_id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_deals_id_status', table_name='deals')
    op.drop_index('ix_activities_owner_open', table_name='activities')
    op.create_index('ix_activities_owner_open', 'activities', ['owner_id', 'done_at', 'due_at'], unique=False)
