"""activities: one owner's open activities index carries the deal, so the header's «Мои задачи» count reads
the index alone to find which deals to check (no visit to each activity's row)

Revision ID: 0019_owner_open_deal
Revises: 0018_board_totals
"""
from alembic import op

revision = '0019_owner_open_deal'
down_revision = '0018_board_totals'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_activities_owner_open', table_name='activities')
    op.create_index('ix_activities_owner_open', 'activities', ['owner_id', 'done_at', 'due_at', 'deal_id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_activities_owner_open', table_name='activities')
    op.create_index('ix_activities_owner_open', 'activities', ['owner_id', 'done_at', 'due_at'], unique=False)
