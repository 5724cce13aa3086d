"""Engine tables: versioned process definitions, workflow instances, ready human tasks, timers."""
from engine.clock import utcnow
from engine.db import db


class ProcessDefinition(db.Model):
    """One deployed version of one BPMN process; rows are never changed."""

    __tablename__ = "process_definitions"
    __table_args__ = (db.UniqueConstraint("process_id", "version"),)

    id = db.Column(db.Integer, primary_key=True)
    process_id = db.Column(db.String(200), nullable=False, index=True)
    version = db.Column(db.Integer, nullable=False)
    name = db.Column(db.String(200), nullable=False, default="")
    source = db.deferred(db.Column(db.LargeBinary, nullable=False))
    hash = db.Column(db.String(64), nullable=False, index=True)
    deployed_by = db.Column(db.String(200), nullable=False, default="")
    deployed_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    created = False  # set (not stored) on the rows a deploy has just added


class WorkflowInstance(db.Model):
    """The persisted state of one running workflow, guarded by a version column."""

    __tablename__ = "workflow_instances"
    # A workflow's diagram version and state by its id from the index alone: every card of the board carries
    # them, and probing the rows (each holds the serialized workflow) was most of the cards' database time.
    __table_args__ = (db.Index("ix_workflow_instances_id_state", "id", "definition_id", "status"),)

    id = db.Column(db.Integer, primary_key=True)
    definition_id = db.Column(db.Integer, db.ForeignKey("process_definitions.id"), nullable=False, index=True)
    state = db.deferred(db.Column(db.Text, nullable=False))
    serializer_version = db.Column(db.String(20), nullable=False)
    status = db.Column(db.String(20), nullable=False, default="running")  # running, completed, error
    error = db.Column(db.Text, nullable=True)  # why it is in error
    error_task = db.Column(db.String(36), nullable=True)  # the id of the task that failed
    error_node = db.Column(db.String(200), nullable=True)  # and its diagram node
    version = db.Column(db.Integer, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    definition = db.relationship(ProcessDefinition, lazy="joined")

    # A stale UPDATE matches no row and raises StaleDataError: optimistic locking.
    __mapper_args__ = {"version_id_col": version}


class ReadyTask(db.Model):
    """A human task waiting for someone, kept in step with the instance's state."""

    __tablename__ = "ready_tasks"

    id = db.Column(db.Integer, primary_key=True)
    instance_id = db.Column(db.Integer, db.ForeignKey("workflow_instances.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    task_id = db.Column(db.String(36), nullable=False, unique=True)
    node_id = db.Column(db.String(200), nullable=False)
    name = db.Column(db.String(300), nullable=False, default="")
    lane = db.Column(db.String(200), nullable=False, default="", index=True)
    # The value of the instance-data variable the task's ``owner`` property names (e.g. a user id).
    assignee = db.Column(db.String(100), nullable=True, index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class Timer(db.Model):
    """A timer event an instance waits on (or that fired), with its due time in UTC."""

    __tablename__ = "timers"
    __table_args__ = (db.Index("ix_timers_due", "fired", "due_at"),)

    id = db.Column(db.Integer, primary_key=True)
    instance_id = db.Column(db.Integer, db.ForeignKey("workflow_instances.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    task_id = db.Column(db.String(36), nullable=False, unique=True)
    node_id = db.Column(db.String(200), nullable=False)
    due_at = db.Column(db.DateTime, nullable=False)
    fired = db.Column(db.Boolean, nullable=False, default=False)
    fired_at = db.Column(db.DateTime, nullable=True)
