"""merge: mail, web preferences, assignments and workflow errors grew side by side from the initial schema

Revision ID: 0007_merge_heads
Revises: 0002_mail, 0003_web_prefs, 0005_assignment_files, 0006_workflow_errors
"""
revision = '0007_merge_heads'
down_revision = ('0002_mail', '0003_web_prefs', '0005_assignment_files', '0006_workflow_errors')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
