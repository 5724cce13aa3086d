"""Users, roles, passwords and API tokens.

Changing someone else is an admin's job: the functions taking an ``actor`` refuse
anyone else (``actor=None`` is the command line, run by whoever runs the server).
"""
import functools
import secrets

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from engine.db import db
from processes import fields, sessions
from processes.access import require_role
from processes.errors import NotFound, ValidationError
from processes.models import DEAL_ROLES, ROLES, User, token_digest

LAST_ADMIN = "the last active admin must stay an active admin"


def create_user(username, role, password=None, full_name="", email="", actor=None):
    """Create a user; return (user, password) — a random password when none given."""
    _require_admin(actor)
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": "required"})
    if role not in ROLES:
        raise ValidationError({"role": f"must be one of {', '.join(ROLES)}"})
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise ValidationError({"username": f"user '{username}' already exists"})
    password = password or secrets.token_urlsafe(12)
    if len(password) < 6:
        raise ValidationError({"password": "at least 6 characters"})
    user = User(username=username, role=role, full_name=full_name or "", email=email or "")
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user, password


def get_by_username(username):
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user '{username}'")
    return user


def find_active(value, roles=None):
    """The active user a form or API names by id or username (of ``roles``, when given), or None."""
    text = fields.check_text(str(value).strip())
    query = select(User).where(User.active.is_(True))
    if roles is not None:
        query = query.where(User.role.in_(roles))
    user_id = fields.lookup_id(text) if text.isdigit() else None
    return db.session.scalars(query.where(User.id == user_id) if user_id is not None
                              else query.where(User.username == text)).first()


def get(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user #{user_id}")
    return user


def authenticate(username, password):
    """The active user with these credentials, or None.

    An unknown or inactive name costs the same password check as a known one
    (against a stand-in hash), so the time of a refusal does not tell which names exist.
    """
    user = db.session.scalar(select(User).where(User.username == username))
    stored = user.password_hash if user is not None else _stand_in_hash()
    matches = check_password_hash(stored, password or "")
    return user if user is not None and user.active and matches else None


@functools.cache
def _stand_in_hash():
    """A hash made like real ones (same method and cost) of a password nobody knows."""
    return generate_password_hash(secrets.token_urlsafe(16))


def by_token(token):
    """The active user owning an API token, or None."""
    if not token:
        return None
    user = db.session.scalar(select(User).where(User.token_hash == token_digest(token)))
    return user if user is not None and user.active else None


def issue_token(username, actor=None):
    """Give a user a new API token (the old one stops working) and return it."""
    _require_admin(actor)
    user = get_by_username(username)
    token = user.new_token()
    db.session.flush()
    return token


def deactivate(username, actor=None):
    """Stop a user: every session and the API token end at their next request; return the user."""
    _require_admin(actor)
    user = get_by_username(username)
    if user.active and user.role == "admin" and _other_active_admins(user) == 0:
        raise ValidationError({"active": LAST_ADMIN})
    user.active = False
    user.token_hash = None  # a reactivated user gets a new token, not the old one back
    sessions.end_all(user)
    db.session.flush()
    return user


def activate(username, actor=None):
    _require_admin(actor)
    user = get_by_username(username)
    user.active = True
    db.session.flush()
    return user


def change_role(username, role, actor=None):
    """Give a user another role; it applies from their next request."""
    _require_admin(actor)
    if role not in ROLES:
        raise ValidationError({"role": f"must be one of {', '.join(ROLES)}"})
    user = get_by_username(username)
    if user.role == "admin" and role != "admin" and user.active and _other_active_admins(user) == 0:
        raise ValidationError({"role": LAST_ADMIN})
    user.role = role
    db.session.flush()
    return user


def reset_password(username, actor=None):
    """Give a user a new random password and end their sessions (the actor's own one stays); return it."""
    _require_admin(actor)
    user = get_by_username(username)
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    sessions.end_all(user, keep=getattr(actor, "session_secret", None))
    db.session.flush()
    return password


def _require_admin(actor):
    if actor is not None:
        require_role(actor, "admin")


def _other_active_admins(user):
    return db.session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True), User.id != user.id))


def list_users(role=None):
    query = select(User).order_by(User.username)
    if role:
        query = query.where(User.role == role)
    return db.session.scalars(query).all()


def may_be_responsible():
    """SQL: the user may be a deal's responsible: active, in a role that runs deals."""
    return User.role.in_(DEAL_ROLES) & User.active.is_(True)


def responsibles():
    """The active users who may be a deal's responsible (``directories.choices`` reads them for the pickers)."""
    return db.session.scalars(select(User).where(may_be_responsible()).order_by(User.username)).all()


def overview(actor, idle=sessions.IDLE):
    """Every user with the number of their live login sessions, for the admin's users page."""
    require_role(actor, "admin")
    counts = sessions.live_counts(idle)
    return [(user, counts.get(user.id, 0)) for user in list_users()]
