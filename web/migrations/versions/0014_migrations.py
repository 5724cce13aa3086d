"""migrations: batches of migrated deals, so a migration can be undone

Revision ID: 0014_migrations
Revises: 0015_speed
"""
from alembic import op
import sqlalchemy as sa

revision = '0014_migrations'
down_revision = '0015_speed'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'migration_batches',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('process_id', sa.String(length=200), nullable=False),
        sa.Column('to_definition_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('undone_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['to_definition_id'], ['process_definitions.id'],
                                name=op.f('fk_migration_batches_to_definition_id_process_definitions')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_migration_batches_user_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_migration_batches')),
    )
    op.create_index(op.f('ix_migration_batches_process_id'), 'migration_batches', ['process_id'], unique=False)
    op.create_table(
        'migration_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('deal_id', sa.Integer(), nullable=False),
        sa.Column('from_definition_id', sa.Integer(), nullable=False),
        sa.Column('history_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['batch_id'], ['migration_batches.id'],
                                name=op.f('fk_migration_items_batch_id_migration_batches'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_migration_items_deal_id_deals'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['from_definition_id'], ['process_definitions.id'],
                                name=op.f('fk_migration_items_from_definition_id_process_definitions')),
        sa.ForeignKeyConstraint(['history_id'], ['deal_history.id'],
                                name=op.f('fk_migration_items_history_id_deal_history'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_migration_items')),
    )
    op.create_index(op.f('ix_migration_items_batch_id'), 'migration_items', ['batch_id'], unique=False)
    op.create_index(op.f('ix_migration_items_deal_id'), 'migration_items', ['deal_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_migration_items_deal_id'), table_name='migration_items')
    op.drop_index(op.f('ix_migration_items_batch_id'), table_name='migration_items')
    op.drop_table('migration_items')
    op.drop_index(op.f('ix_migration_batches_process_id'), table_name='migration_batches')
    op.drop_table('migration_batches')
