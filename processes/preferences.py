"""Per-user preferences (such as the journal's chosen columns), stored as JSON."""
import json

from sqlalchemy import select

from engine.db import db
from processes.settings_models import UserPreference


def get(user, key, default=None):
    """A user's stored value for key, or default."""
    value = db.session.scalar(select(UserPreference.value).where(UserPreference.user_id == user.id,
                                                                 UserPreference.key == key))
    return default if value is None else json.loads(value)


def put(user, key, value):
    """Store a JSON-clean value for a user under key (replacing the old one)."""
    row = db.session.get(UserPreference, (user.id, key))
    if row is None:
        row = UserPreference(user_id=user.id, key=key)
        db.session.add(row)
    row.value = json.dumps(value, ensure_ascii=False)
    db.session.flush()
    return value
