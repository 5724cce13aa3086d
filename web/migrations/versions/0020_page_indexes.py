"""page indexes: two pages read their rows from an index alone, in the order they show them.
The board: «the newest deals of one status» carries the deal's id, so each column's page of cards comes from
the index (PostgreSQL chose the deal numbers' index instead, reading and discarding the other statuses' deals:
ten times the rows for each column). «Мои задачи»: one owner's open activities in due order carry their id, the
tie-break of that order, so a page of them stops after its rows instead of sorting every open one.

Revision ID: 0020_page_indexes
Revises: 0019_task_count
"""
from alembic import op

revision = '0020_page_indexes'
down_revision = '0019_task_count'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_deals_status_number', table_name='deals')
    op.create_index('ix_deals_status_number', 'deals', ['status', 'number', 'budget', 'id'], unique=False)
    op.drop_index('ix_activities_owner_open', table_name='activities')
    op.create_index('ix_activities_owner_open', 'activities', ['owner_id', 'done_at', 'due_at', 'id', 'deal_id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_deals_status_number', table_name='deals')
    op.create_index('ix_deals_status_number', 'deals', ['status', 'number', 'budget'], unique=False)
    op.drop_index('ix_activities_owner_open', table_name='activities')
    op.create_index('ix_activities_owner_open', 'activities', ['owner_id', 'done_at', 'due_at', 'deal_id'],
                    unique=False)
