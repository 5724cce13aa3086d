"""analytics stays: an entry ending a stay keeps when its status was entered; indexes the figures read alone

Revision ID: 0017_analytics_stays
Revises: 0016_api_count
"""
from alembic import op
import sqlalchemy as sa

revision = '0017_analytics_stays'
down_revision = '0016_api_count'
branch_labels = None
depends_on = None

# processes.models.STATUS_KINDS as of this revision: the entry kinds that set a deal's status.
STATUS_KINDS = "'created', 'move', 'decision', 'migrated', 'retry', 'timer'"

# An entry that ends a stay (sets a status other than the one it leaves) gets the time of the deal's
# previous status change (its creation included): the same value processes.models._entered_at writes.
BACKFILL = f"""
UPDATE deal_history SET entered_at = changes.entered
FROM (SELECT id, from_status, lag(at) OVER (PARTITION BY deal_id ORDER BY id) AS entered
      FROM deal_history
      WHERE kind IN ({STATUS_KINDS}) AND to_status IS NOT NULL
        AND (from_status IS NULL OR from_status <> to_status)) AS changes
WHERE deal_history.id = changes.id AND changes.from_status IS NOT NULL AND changes.entered IS NOT NULL
"""


def upgrade():
    with op.batch_alter_table('deal_history') as batch:
        batch.add_column(sa.Column('entered_at', sa.DateTime(), nullable=True))
    op.execute(BACKFILL)
    op.create_index('ix_deal_history_stays', 'deal_history',
                    ['at', 'from_status', 'to_status', 'entered_at', 'deal_id'], unique=False,
                    postgresql_where=sa.text('entered_at IS NOT NULL'), sqlite_where=sa.text('entered_at IS NOT NULL'))
    op.drop_index('ix_deal_history_to_status_at', table_name='deal_history')
    op.create_index('ix_deal_history_to_status_at', 'deal_history',
                    ['to_status', 'at', 'deal_id', 'kind', 'reason_id', 'id'], unique=False)
    op.drop_index('ix_deal_history_deal_id', table_name='deal_history')
    op.create_index('ix_deal_history_deal_id', 'deal_history', ['deal_id', 'id', 'to_status', 'kind'],
                    unique=False)
    op.create_index('ix_deals_status_expected_close', 'deals', ['status', 'expected_close', 'budget'], unique=False)


def downgrade():
    op.drop_index('ix_deals_status_expected_close', table_name='deals')
    op.drop_index('ix_deal_history_deal_id', table_name='deal_history')
    op.create_index('ix_deal_history_deal_id', 'deal_history', ['deal_id'], unique=False)
    op.drop_index('ix_deal_history_to_status_at', table_name='deal_history')
    op.create_index('ix_deal_history_to_status_at', 'deal_history', ['to_status', 'at', 'deal_id'], unique=False)
    op.drop_index('ix_deal_history_stays', table_name='deal_history')
    with op.batch_alter_table('deal_history') as batch:
        batch.drop_column('entered_at')
