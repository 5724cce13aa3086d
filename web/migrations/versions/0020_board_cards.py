"""board cards: the index of «the newest deals of one status» carries the deal's id, so each column's page of
cards is read from the index alone (PostgreSQL chose the deal numbers' index instead, reading and discarding
the other statuses' deals: ten times the rows for each column)

Revision ID: 0020_board_cards
Revises: 0019_task_count
"""
from alembic import op

revision = '0020_board_cards'
down_revision = '0019_task_count'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_deals_status_number', table_name='deals')
    op.create_index('ix_deals_status_number', 'deals', ['status', 'number', 'budget', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_deals_status_number', table_name='deals')
    op.create_index('ix_deals_status_number', 'deals', ['status', 'number', 'budget'], unique=False)
