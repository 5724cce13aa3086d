"""timeline: deal notes, activities (a manager's next steps) and their events

Revision ID: 0010_timeline
Revises: 0009_user_sessions
"""
from alembic import op
import sqlalchemy as sa

revision = '0010_timeline'
down_revision = '0009_user_sessions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'deal_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('deal_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('edited_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_deal_notes_author_id_users')),
        sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_deal_notes_deal_id_deals'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_notes')),
    )
    op.create_index(op.f('ix_deal_notes_author_id'), 'deal_notes', ['author_id'], unique=False)
    op.create_index('ix_deal_notes_deal_created', 'deal_notes', ['deal_id', 'created_at'], unique=False)
    op.create_table(
        'activities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('deal_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('summary', sa.String(length=500), nullable=False),
        sa.Column('due_at', sa.DateTime(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('done_at', sa.DateTime(), nullable=True),
        sa.Column('outcome', sa.Text(), nullable=False),
        sa.Column('reminded_at', sa.DateTime(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activities_created_by_id_users')),
        sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_activities_deal_id_deals'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_activities_owner_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_activities')),
    )
    op.create_index('ix_activities_deal_open', 'activities', ['deal_id', 'done_at', 'due_at'], unique=False)
    op.create_index('ix_activities_owner_open', 'activities', ['owner_id', 'done_at', 'due_at'], unique=False)
    op.create_index('ix_activities_reminder', 'activities', ['done_at', 'reminded_at', 'due_at'], unique=False)
    op.create_table(
        'activity_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('deal_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('due_at', sa.DateTime(), nullable=True),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['activity_id'], ['activities.id'],
                                name=op.f('fk_activity_events_activity_id_activities'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_activity_events_deal_id_deals'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_activity_events_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_events')),
    )
    op.create_index(op.f('ix_activity_events_activity_id'), 'activity_events', ['activity_id'], unique=False)
    op.create_index('ix_activity_events_deal_at', 'activity_events', ['deal_id', 'at'], unique=False)


def downgrade():
    op.drop_index('ix_activity_events_deal_at', table_name='activity_events')
    op.drop_index(op.f('ix_activity_events_activity_id'), table_name='activity_events')
    op.drop_table('activity_events')
    for name in ('ix_activities_reminder', 'ix_activities_owner_open', 'ix_activities_deal_open'):
        op.drop_index(name, table_name='activities')
    op.drop_table('activities')
    op.drop_index('ix_deal_notes_deal_created', table_name='deal_notes')
    op.drop_index(op.f('ix_deal_notes_author_id'), table_name='deal_notes')
    op.drop_table('deal_notes')
