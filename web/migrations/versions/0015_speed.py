"""speed: an index for «one person's deals, newest first» (the API list and the journal by responsible)

Revision ID: 0015_speed
Revises: 0011_contacts
"""
from alembic import op

revision = '0015_speed'
down_revision = '0011_contacts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_deals_responsible_number', 'deals', ['responsible_id', 'number'], unique=False)


def downgrade():
    op.drop_index('ix_deals_responsible_number', table_name='deals')
