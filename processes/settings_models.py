"""Tables of settings: the admin's (mailbox URL, SMTP, website-request labels) and each user's own."""
from engine.clock import utcnow
from engine.db import db


class Setting(db.Model):
    """An admin setting (JSON value) such as the mailbox URL or the website-request labels."""

    __tablename__ = "settings"

    key = db.Column(db.String(100), primary_key=True)
    value = db.Column(db.Text, nullable=False, default="null")
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class UserPreference(db.Model):
    """A user's own setting (JSON value), such as the journal's chosen columns."""

    __tablename__ = "user_preferences"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key = db.Column(db.String(100), primary_key=True)
    value = db.Column(db.Text, nullable=False, default="null")
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
