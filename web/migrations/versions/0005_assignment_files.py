"""assignment files: the files attached to an assignment, stored in the database

Revision ID: 0005_assignment_files
Revises: 0004_assignments
"""
from alembic import op
import sqlalchemy as sa

revision = '0005_assignment_files'
down_revision = '0004_assignments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'assignment_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('content_type', sa.String(length=200), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'],
                                name=op.f('fk_assignment_files_assignment_id_assignments'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'],
                                name=op.f('fk_assignment_files_uploaded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_files')),
    )
    op.create_index(op.f('ix_assignment_files_assignment_id'), 'assignment_files', ['assignment_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_assignment_files_assignment_id'), table_name='assignment_files')
    op.drop_table('assignment_files')
