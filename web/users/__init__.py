"""The admin's users page: roles, active or not, new passwords and API tokens."""
from flask import Blueprint

bp = Blueprint("users", __name__, url_prefix="/admin/users")

from web.users import routes  # noqa: E402,F401
