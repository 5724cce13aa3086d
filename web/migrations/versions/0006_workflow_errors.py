"""workflow errors: the failed task and node of an instance in error, for «retry from this task»

Revision ID: 0006_workflow_errors
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = '0006_workflow_errors'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workflow_instances') as batch:
        batch.add_column(sa.Column('error_task', sa.String(length=36), nullable=True))
        batch.add_column(sa.Column('error_node', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('workflow_instances') as batch:
        batch.drop_column('error_node')
        batch.drop_column('error_task')
