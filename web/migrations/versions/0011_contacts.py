"""contacts: people of counterparties, a deal's primary contact and its other contacts

Revision ID: 0011_contacts
Revises: 0010_timeline
"""
from alembic import op
import sqlalchemy as sa

revision = '0011_contacts'
down_revision = '0010_timeline'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'contacts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('position', sa.String(length=200), nullable=False),
        sa.Column('phone', sa.String(length=50), nullable=False),
        sa.Column('email', sa.String(length=300), nullable=False),
        sa.Column('counterparty_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['counterparty_id'], ['counterparties.id'],
                                name=op.f('fk_contacts_counterparty_id_counterparties')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    )
    for column in ('name', 'email', 'counterparty_id'):
        op.create_index(op.f(f'ix_contacts_{column}'), 'contacts', [column], unique=False)
    op.create_table(
        'deal_contacts',
        sa.Column('deal_id', sa.Integer(), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_deal_contacts_deal_id_deals'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_deal_contacts_contact_id_contacts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('deal_id', 'contact_id', name=op.f('pk_deal_contacts')),
    )
    op.create_index(op.f('ix_deal_contacts_contact_id'), 'deal_contacts', ['contact_id'], unique=False)
    # A nullable column: PostgreSQL adds it without rewriting the deals; SQLite's batch copies the table.
    with op.batch_alter_table('deals') as batch:
        batch.add_column(sa.Column('contact_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_deals_contact_id_contacts'), 'contacts', ['contact_id'], ['id'])
        batch.create_index(op.f('ix_deals_contact_id'), ['contact_id'], unique=False)


def downgrade():
    with op.batch_alter_table('deals') as batch:
        batch.drop_index(op.f('ix_deals_contact_id'))
        batch.drop_constraint(op.f('fk_deals_contact_id_contacts'), type_='foreignkey')
        batch.drop_column('contact_id')
    op.drop_index(op.f('ix_deal_contacts_contact_id'), table_name='deal_contacts')
    op.drop_table('deal_contacts')
    for column in ('name', 'email', 'counterparty_id'):
        op.drop_index(op.f(f'ix_contacts_{column}'), table_name='contacts')
    op.drop_table('contacts')
