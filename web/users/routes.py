"""Users views (admins only; the domain checks the role too).

A new password or API token is shown once, on the page answering the POST that
made it: never put in a redirect, the flash store or a log.
"""
from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from engine.db import db
from processes import users
from processes.errors import ValidationError
from processes.models import ROLES
from web.ui import roles_required
from web.users import bp

ROLE_LABELS = {"manager": _l("Manager"), "director": _l("Director"), "analyst": _l("Analyst"), "admin": _l("Admin")}
MESSAGES = (_l("the last active admin must stay an active admin"),)  # the domain's refusals, for the catalog


def _page(revealed=None, errors=None, status=200):
    rows = users.overview(current_user, idle=current_app.permanent_session_lifetime)
    response = render_template("users/list.html", rows=rows, roles=ROLES,
                               role_labels=ROLE_LABELS, revealed=revealed, errors=errors or {})
    return response, status, {"Cache-Control": "no-store"}


def _refused(exc):
    db.session.rollback()
    return _page(errors=exc.errors, status=422)


@bp.get("")
@roles_required("admin")
def index():
    return _page()


@bp.post("")
@roles_required("admin")
def create():
    form = request.form
    try:
        user, password = users.create_user(form.get("username"), form.get("role"), None, form.get("full_name", ""),
                                           form.get("email", ""), actor=current_user)
    except ValidationError as exc:
        return _refused(exc)
    db.session.commit()
    return _page({"username": user.username, "what": _("password"), "value": password})


@bp.post("/<int:user_id>/role")
@roles_required("admin")
def change_role(user_id):
    username = users.get(user_id).username
    return _changed(lambda: users.change_role(username, request.form.get("role"), actor=current_user))


@bp.post("/<int:user_id>/active")
@roles_required("admin")
def set_active(user_id):
    username = users.get(user_id).username
    change = users.activate if request.form.get("active") == "1" else users.deactivate
    return _changed(lambda: change(username, actor=current_user))


def _changed(change):
    """Apply an admin's change to a user: back to the list, or the list with the refusal."""
    try:
        change()
    except ValidationError as exc:
        return _refused(exc)
    db.session.commit()
    return redirect(url_for("users.index"))


@bp.post("/<int:user_id>/password")
@roles_required("admin")
def reset_password(user_id):
    username = users.get(user_id).username
    password = users.reset_password(username, actor=current_user)
    db.session.commit()
    return _page({"username": username, "what": _("password"), "value": password})


@bp.post("/<int:user_id>/token")
@roles_required("admin")
def issue_token(user_id):
    username = users.get(user_id).username
    token = users.issue_token(username, actor=current_user)
    db.session.commit()
    return _page({"username": username, "what": _("API token"), "value": token})
