"""history touch: a deal's newest history entry by time from one index probe

A deal's last touch (``processes.rotting.last_touch``: the latest of its history, notes and activity events)
is read for every card and journal row in a status with rotDays. Notes and events had an index by deal and time;
the history had one by deal and id, so the newest time was found by reading every entry of the deal: a deal
moved two thousand times cost two thousand rows on every board that showed it.

Revision ID: 0022_history_touch
Revises: 0021_responsible_tasks
"""
from alembic import op

revision = '0022_history_touch'
down_revision = '0021_responsible_tasks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_deal_history_deal_at', 'deal_history', ['deal_id', 'at'], unique=False)


def downgrade():
    op.drop_index('ix_deal_history_deal_at', table_name='deal_history')
