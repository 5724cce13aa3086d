"""mail intake: letters with raw .eml, intake failures (quarantine), settings

Revision ID: 0002_mail
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = '0002_mail'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'letters',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.String(length=500), nullable=False),
        sa.Column('deal_id', sa.Integer(), nullable=True),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('mailbox', sa.String(length=300), nullable=False),
        sa.Column('subject', sa.Text(), nullable=False),
        sa.Column('from_name', sa.String(length=300), nullable=False),
        sa.Column('from_email', sa.String(length=300), nullable=False),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('attachments', sa.JSON(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('raw', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_letters_deal_id_deals'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letters')),
        sa.UniqueConstraint('message_id', name=op.f('uq_letters_message_id')),
    )
    for column in ('deal_id', 'outcome', 'from_email', 'received_at'):
        op.create_index(op.f(f'ix_letters_{column}'), 'letters', [column], unique=False)
    op.create_table(
        'intake_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('letter_key', sa.String(length=500), nullable=False),
        sa.Column('mailbox', sa.String(length=300), nullable=False),
        sa.Column('subject', sa.Text(), nullable=False),
        sa.Column('from_email', sa.String(length=300), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('quarantined', sa.Boolean(), nullable=False),
        sa.Column('first_at', sa.DateTime(), nullable=False),
        sa.Column('last_at', sa.DateTime(), nullable=False),
        sa.Column('raw', sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_failures')),
        sa.UniqueConstraint('letter_key', name=op.f('uq_intake_failures_letter_key')),
    )
    op.create_table(
        'settings',
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_settings')),
    )


def downgrade():
    op.drop_table('settings')
    op.drop_table('intake_failures')
    for column in ('deal_id', 'outcome', 'from_email', 'received_at'):
        op.drop_index(op.f(f'ix_letters_{column}'), table_name='letters')
    op.drop_table('letters')
