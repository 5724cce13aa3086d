"""Assignment tables: the assignment with its people and dates, and what happened to it."""
from engine.clock import utcnow
from engine.db import db
from engine.models import WorkflowInstance
from processes.models import Deal, User

PRIORITIES = ("low", "normal", "high")


class Assignment(db.Model):
    """An assignment («поручение») on a deal, run by its own workflow instance."""

    __tablename__ = "assignments"

    id = db.Column(db.Integer, primary_key=True)
    deal_id = db.Column(db.Integer, db.ForeignKey("deals.id", ondelete="CASCADE"), nullable=False, index=True)
    title = db.Column(db.String(300), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    priority = db.Column(db.String(20), nullable=False, default="normal")
    due_at = db.Column(db.DateTime, nullable=True, index=True)  # naive UTC
    performer_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    verifier_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    initiator_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    status = db.Column(db.String(50), nullable=False, index=True)
    overdue = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    completed_at = db.Column(db.DateTime, nullable=True)
    archived_at = db.Column(db.DateTime, nullable=True)
    workflow_id = db.Column(db.Integer, db.ForeignKey("workflow_instances.id"), nullable=False, unique=True)
    version = db.Column(db.Integer, nullable=False)

    deal = db.relationship(Deal)
    performer = db.relationship(User, foreign_keys=[performer_id])
    verifier = db.relationship(User, foreign_keys=[verifier_id])
    initiator = db.relationship(User, foreign_keys=[initiator_id])
    workflow = db.relationship(WorkflowInstance)

    __mapper_args__ = {"version_id_col": version}


class AssignmentEvent(db.Model):
    """One step of an assignment: created, a verdict, overdue, archived."""

    __tablename__ = "assignment_events"

    id = db.Column(db.Integer, primary_key=True)
    assignment_id = db.Column(db.Integer, db.ForeignKey("assignments.id", ondelete="CASCADE"),
                              nullable=False, index=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    kind = db.Column(db.String(20), nullable=False)  # created, verdict, overdue, archived, error
    verdict = db.Column(db.String(50), nullable=False, default="")
    from_status = db.Column(db.String(50), nullable=True)
    to_status = db.Column(db.String(50), nullable=True)
    comment = db.Column(db.Text, nullable=False, default="")

    user = db.relationship(User, lazy="joined")


class AssignmentFile(db.Model):
    """A file attached to an assignment, kept in the database beside it (backed up and removed with it)."""

    __tablename__ = "assignment_files"

    id = db.Column(db.Integer, primary_key=True)
    assignment_id = db.Column(db.Integer, db.ForeignKey("assignments.id", ondelete="CASCADE"),
                              nullable=False, index=True)
    name = db.Column(db.String(255), nullable=False)  # as the uploader's computer named it, Cyrillic and all
    content_type = db.Column(db.String(200), nullable=False, default="application/octet-stream")
    size = db.Column(db.Integer, nullable=False)
    data = db.deferred(db.Column(db.LargeBinary, nullable=False))  # loaded only for a download
    uploaded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    uploaded_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    uploaded_by = db.relationship(User)
