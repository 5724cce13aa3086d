"""assignments: timers, ready-task assignees, assignments and their events, the mail outbox

Revision ID: 0004_assignments
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = '0004_assignments'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ready_tasks') as batch:
        batch.add_column(sa.Column('assignee', sa.String(length=100), nullable=True))
        batch.create_index(batch.f('ix_ready_tasks_assignee'), ['assignee'], unique=False)
    op.create_table(
        'timers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.String(length=36), nullable=False),
        sa.Column('node_id', sa.String(length=200), nullable=False),
        sa.Column('due_at', sa.DateTime(), nullable=False),
        sa.Column('fired', sa.Boolean(), nullable=False),
        sa.Column('fired_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['instance_id'], ['workflow_instances.id'],
                                name=op.f('fk_timers_instance_id_workflow_instances'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_timers')),
        sa.UniqueConstraint('task_id', name=op.f('uq_timers_task_id')),
    )
    op.create_index(op.f('ix_timers_instance_id'), 'timers', ['instance_id'], unique=False)
    op.create_index('ix_timers_due', 'timers', ['fired', 'due_at'], unique=False)
    op.create_table(
        'assignments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('deal_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('priority', sa.String(length=20), nullable=False),
        sa.Column('due_at', sa.DateTime(), nullable=True),
        sa.Column('performer_id', sa.Integer(), nullable=False),
        sa.Column('verifier_id', sa.Integer(), nullable=True),
        sa.Column('initiator_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=50), nullable=False),
        sa.Column('overdue', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('completed_at', sa.DateTime(), nullable=True),
        sa.Column('archived_at', sa.DateTime(), nullable=True),
        sa.Column('workflow_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_assignments_deal_id_deals'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['performer_id'], ['users.id'], name=op.f('fk_assignments_performer_id_users')),
        sa.ForeignKeyConstraint(['verifier_id'], ['users.id'], name=op.f('fk_assignments_verifier_id_users')),
        sa.ForeignKeyConstraint(['initiator_id'], ['users.id'], name=op.f('fk_assignments_initiator_id_users')),
        sa.ForeignKeyConstraint(['workflow_id'], ['workflow_instances.id'],
                                name=op.f('fk_assignments_workflow_id_workflow_instances')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
        sa.UniqueConstraint('workflow_id', name=op.f('uq_assignments_workflow_id')),
    )
    for column in ('deal_id', 'performer_id', 'verifier_id', 'initiator_id', 'status', 'due_at'):
        op.create_index(op.f(f'ix_assignments_{column}'), 'assignments', [column], unique=False)
    op.create_table(
        'assignment_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('verdict', sa.String(length=50), nullable=False),
        sa.Column('from_status', sa.String(length=50), nullable=True),
        sa.Column('to_status', sa.String(length=50), nullable=True),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'],
                                name=op.f('fk_assignment_events_assignment_id_assignments'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assignment_events_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_events')),
    )
    op.create_index(op.f('ix_assignment_events_assignment_id'), 'assignment_events', ['assignment_id'], unique=False)
    op.create_table(
        'outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic', sa.String(length=200), nullable=False),
        sa.Column('to_email', sa.String(length=300), nullable=False),
        sa.Column('subject', sa.String(length=500), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    )
    op.create_index('ix_outbox_due', 'outbox', ['status', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_outbox_topic'), 'outbox', ['topic'], unique=False)


def downgrade():
    op.drop_table('outbox')
    op.drop_table('assignment_events')
    op.drop_table('assignments')
    op.drop_table('timers')
    with op.batch_alter_table('ready_tasks') as batch:
        batch.drop_index(batch.f('ix_ready_tasks_assignee'))
        batch.drop_column('assignee')
