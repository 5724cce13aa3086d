"""Users, roles, passwords and API tokens."""
import secrets

from sqlalchemy import select

from engine.db import db
from processes.errors import NotFound, ValidationError
from processes.models import ROLES, User, token_digest


def create_user(username, role, password=None, full_name="", email=""):
    """Create a user; return (user, password) — a random password when none given."""
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


def get(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user #{user_id}")
    return user


def authenticate(username, password):
    """The active user with these credentials, or None."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not user.check_password(password or ""):
        return None
    return user


def by_token(token):
    """The active user owning an API token, or None."""
    if not token:
        return None
    user = db.session.scalar(select(User).where(User.token_hash == token_digest(token)))
    return user if user is not None and user.active else None


def issue_token(username):
    """Give a user a new API token (the old one stops working) and return it."""
    user = get_by_username(username)
    token = user.new_token()
    db.session.flush()
    return token


def list_users(role=None):
    query = select(User).order_by(User.username)
    if role:
        query = query.where(User.role == role)
    return db.session.scalars(query).all()
