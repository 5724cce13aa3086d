"""Tables of a deal's daily work: notes people leave on it, activities (a manager's own next steps) and their events."""
from engine.clock import utcnow
from engine.db import db
from processes.models import Deal, User

ACTIVITY_KINDS = ("call", "meeting", "email", "task")  # звонок, встреча, письмо, задача


class DealNote(db.Model):
    """A note on a deal; its author may edit or delete it for a while (processes.notes.EDIT_WINDOW)."""

    __tablename__ = "deal_notes"
    __table_args__ = (db.Index("ix_deal_notes_deal_created", "deal_id", "created_at"),)

    id = db.Column(db.Integer, primary_key=True)
    deal_id = db.Column(db.Integer, db.ForeignKey("deals.id", ondelete="CASCADE"), nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    text = db.Column(db.Text, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    edited_at = db.Column(db.DateTime, nullable=True)

    author = db.relationship(User, lazy="joined")


class Activity(db.Model):
    """A planned next step on a deal: open while ``done_at`` is empty; reminded once when due (``reminded_at``)."""

    __tablename__ = "activities"
    __table_args__ = (
        # The deals of a page with their open activities (the board's marks): deal, open, soonest first.
        db.Index("ix_activities_deal_open", "deal_id", "done_at", "due_at"),
        # «Мои задачи» and GET /activities?mine=1: one owner's open activities by due time (the id breaks ties: a
        # page stops after its rows), with their deal (the header's count checks each one's deal from the index).
        db.Index("ix_activities_owner_open", "owner_id", "done_at", "due_at", "id", "deal_id"),
        # The worker's reminder pass: open, not reminded, due.
        db.Index("ix_activities_reminder", "done_at", "reminded_at", "due_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    deal_id = db.Column(db.Integer, db.ForeignKey("deals.id", ondelete="CASCADE"), nullable=False)
    kind = db.Column(db.String(20), nullable=False)  # ACTIVITY_KINDS
    summary = db.Column(db.String(500), nullable=False)
    due_at = db.Column(db.DateTime, nullable=False)  # naive UTC
    owner_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    done_at = db.Column(db.DateTime, nullable=True)
    outcome = db.Column(db.Text, nullable=False, default="")
    reminded_at = db.Column(db.DateTime, nullable=True)
    version = db.Column(db.Integer, nullable=False)

    deal = db.relationship(Deal)
    owner = db.relationship(User, foreign_keys=[owner_id], lazy="joined")
    created_by = db.relationship(User, foreign_keys=[created_by_id])

    __mapper_args__ = {"version_id_col": version}


class ActivityEvent(db.Model):
    """What happened to an activity: created, done, rescheduled (the deal's timeline reads these)."""

    __tablename__ = "activity_events"
    __table_args__ = (db.Index("ix_activity_events_deal_at", "deal_id", "at"),)

    id = db.Column(db.Integer, primary_key=True)
    activity_id = db.Column(db.Integer, db.ForeignKey("activities.id", ondelete="CASCADE"), nullable=False,
                            index=True)
    deal_id = db.Column(db.Integer, db.ForeignKey("deals.id", ondelete="CASCADE"), nullable=False)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    kind = db.Column(db.String(20), nullable=False)  # created, done, rescheduled
    due_at = db.Column(db.DateTime, nullable=True)   # the due time it was set to (created, rescheduled)
    comment = db.Column(db.Text, nullable=False, default="")

    user = db.relationship(User, lazy="joined")
    activity = db.relationship(Activity)
