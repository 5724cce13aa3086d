"""Tables of mail: letters received (raw .eml kept), intake failures and quarantine, the outbox of letters to send."""
from engine.clock import utcnow
from engine.db import db


class Letter(db.Model):
    """One received letter, unique by Message-ID (or a digest of its bytes when it has none)."""

    __tablename__ = "letters"

    id = db.Column(db.Integer, primary_key=True)
    message_id = db.Column(db.String(500), nullable=False, unique=True)
    deal_id = db.Column(db.Integer, db.ForeignKey("deals.id", ondelete="CASCADE"), nullable=True, index=True)
    outcome = db.Column(db.String(20), nullable=False, index=True)
    mailbox = db.Column(db.String(300), nullable=False, default="")
    subject = db.Column(db.Text, nullable=False, default="")
    from_name = db.Column(db.String(300), nullable=False, default="")
    from_email = db.Column(db.String(300), nullable=False, default="", index=True)
    received_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    sent_at = db.Column(db.DateTime, nullable=True)
    attachments = db.Column(db.JSON, nullable=False, default=list)
    size = db.Column(db.Integer, nullable=False, default=0)
    raw = db.deferred(db.Column(db.LargeBinary, nullable=False))


class IntakeFailure(db.Model):
    """A letter whose handling failed: attempts so far, the last error, and whether it sits in quarantine."""

    __tablename__ = "intake_failures"

    id = db.Column(db.Integer, primary_key=True)
    letter_key = db.Column(db.String(500), nullable=False, unique=True)
    mailbox = db.Column(db.String(300), nullable=False, default="")
    subject = db.Column(db.Text, nullable=False, default="")
    from_email = db.Column(db.String(300), nullable=False, default="")
    attempts = db.Column(db.Integer, nullable=False, default=0)
    error = db.Column(db.Text, nullable=False, default="")
    quarantined = db.Column(db.Boolean, nullable=False, default=False)
    first_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    raw = db.deferred(db.Column(db.LargeBinary, nullable=True))



class OutboxMail(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (db.Index("ix_outbox_due", "status", "next_attempt_at"),)

    id = db.Column(db.Integer, primary_key=True)
    topic = db.Column(db.String(200), nullable=False, index=True)  # e.g. assignment:12:overdue
    to_email = db.Column(db.String(300), nullable=False)
    subject = db.Column(db.String(500), nullable=False)
    body = db.Column(db.Text, nullable=False, default="")
    status = db.Column(db.String(20), nullable=False, default="pending")  # pending, sent, failed, skipped
    attempts = db.Column(db.Integer, nullable=False, default=0)
    last_error = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    next_attempt_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime, nullable=True)
