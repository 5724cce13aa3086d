"""Per-user preferences (such as the journal's chosen columns), stored as JSON."""
import json

from sqlalchemy import select

from engine.db import db
from engine.models import utcnow


class UserPreference(db.Model):
    __tablename__ = "user_preferences"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key = db.Column(db.String(100), primary_key=True)
    value = db.Column(db.Text, nullable=False, default="null")
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)


def get(user, key, default=None):
    """A user's stored value for key, or default."""
    row = db.session.scalar(select(UserPreference).where(UserPreference.user_id == user.id,
                                                         UserPreference.key == key))
    return default if row is None else json.loads(row.value)


def put(user, key, value):
    """Store a JSON-clean value for a user under key (replacing the old one)."""
    row = db.session.get(UserPreference, (user.id, key))
    if row is None:
        row = UserPreference(user_id=user.id, key=key)
        db.session.add(row)
    row.value = json.dumps(value, ensure_ascii=False)
    db.session.flush()
    return value
