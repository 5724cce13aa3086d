"""instance cover: a workflow's diagram version and state by its id from the index alone

Every card of the board carries its workflow's version (``definition_id``: which diagram's flows it moves by)
and state (an error moves nowhere), so the board probed one workflow row per card: 450 heap probes of the
widest table (each row holds the serialized workflow), which took 2.8 of the 5.0 ms the board's cards cost in
PostgreSQL with 100,000 deals. An index holding both answers each probe from the index: the cards' statement
5.0 → 3.3 ms. From the index alone where the visibility map allows it, that is where (auto)vacuum has been since
the workflow last moved; a page a move changed since is read as before.
The state changes rarely (running, completed, error), so a move's update of a workflow stays a HOT update.

Revision ID: 0023_instance_cover
Revises: 0022_history_touch
"""
from alembic import op

revision = '0023_instance_cover'
down_revision = '0022_history_touch'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_workflow_instances_id_state', 'workflow_instances', ['id', 'definition_id', 'status'],
                    unique=False)


def downgrade():
    op.drop_index('ix_workflow_instances_id_state', table_name='workflow_instances')
