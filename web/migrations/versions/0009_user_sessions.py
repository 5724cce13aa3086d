"""login: server-side sessions, per-account and per-address attempt counters (replacing login_failures)

Revision ID: 0009_user_sessions
Revises: 0008_journal_status_budget
"""
from alembic import op
import sqlalchemy as sa

revision = '0009_user_sessions'
down_revision = '0008_journal_status_budget'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'user_sessions',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    )
    op.create_index(op.f('ix_user_sessions_user_id'), 'user_sessions', ['user_id'], unique=False)
    op.create_table(
        'login_counters',
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('window_start', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_login_counters')),
    )
    op.create_index(op.f('ix_login_counters_window_start'), 'login_counters', ['window_start'], unique=False)
    # Recent failures are not carried over: at worst an attacker gets one fresh window once.
    for column in ('username', 'address', 'at'):
        op.drop_index(op.f(f'ix_login_failures_{column}'), table_name='login_failures')
    op.drop_table('login_failures')


def downgrade():
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
    op.drop_index(op.f('ix_login_counters_window_start'), table_name='login_counters')
    op.drop_table('login_counters')
    op.drop_index(op.f('ix_user_sessions_user_id'), table_name='user_sessions')
    op.drop_table('user_sessions')
