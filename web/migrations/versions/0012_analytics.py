"""analytics: a deal's expected close date, the refusal reasons directory, history read by time

Revision ID: 0012_analytics
Revises: 0014_migrations
"""
from alembic import op
import sqlalchemy as sa

revision = '0012_analytics'
down_revision = '0014_migrations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'refusal_reasons',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_refusal_reasons')),
        sa.UniqueConstraint('name', name=op.f('uq_refusal_reasons_name')),
    )
    with op.batch_alter_table('deals') as batch:
        batch.add_column(sa.Column('expected_close', sa.Date(), nullable=True))
    with op.batch_alter_table('deal_history') as batch:
        batch.add_column(sa.Column('reason_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_deal_history_reason_id_refusal_reasons'), 'refusal_reasons',
                                 ['reason_id'], ['id'])
    op.create_index('ix_deal_history_at', 'deal_history', ['at', 'deal_id'], unique=False)
    op.create_index('ix_deal_history_to_status_at', 'deal_history', ['to_status', 'at', 'deal_id'], unique=False)


def downgrade():
    op.drop_index('ix_deal_history_to_status_at', table_name='deal_history')
    op.drop_index('ix_deal_history_at', table_name='deal_history')
    with op.batch_alter_table('deal_history') as batch:
        batch.drop_constraint(op.f('fk_deal_history_reason_id_refusal_reasons'), type_='foreignkey')
        batch.drop_column('reason_id')
    with op.batch_alter_table('deals') as batch:
        batch.drop_column('expected_close')
    op.drop_table('refusal_reasons')
