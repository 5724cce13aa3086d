"""Claims on group tasks of lanes whose owner is not a record field."""
from engine.clock import utcnow
from engine.db import db


class TaskClaim(db.Model):
    __tablename__ = "task_claims"

    task_id = db.Column(db.String(36), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    claimed_at = db.Column(db.DateTime, nullable=False, default=utcnow)
