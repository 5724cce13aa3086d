"""web UI: per-user preferences, login failures, the board's status index

Revision ID: 0003_web_prefs
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = '0003_web_prefs'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'user_preferences',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_preferences_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'key', name=op.f('pk_user_preferences')),
    )
    op.create_table(
        'login_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('username', sa.String(length=100), nullable=False),
        sa.Column('address', sa.String(length=100), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures')),
    )
    for column in ('username', 'address', 'at'):
        op.create_index(op.f(f'ix_login_failures_{column}'), 'login_failures', [column], unique=False)
    op.create_index('ix_deals_status_number', 'deals', ['status', 'number', 'budget'], unique=False)


def downgrade():
    op.drop_index('ix_deals_status_number', table_name='deals')
    for column in ('username', 'address', 'at'):
        op.drop_index(op.f(f'ix_login_failures_{column}'), table_name='login_failures')
    op.drop_table('login_failures')
    op.drop_table('user_preferences')
