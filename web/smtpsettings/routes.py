"""SMTP settings views (admins only); the password is never sent back to the browser."""
import smtplib

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.db import db
from mail import smtp as smtp_client
from processes import outbox, smtp
from processes.errors import ValidationError
from web.smtpsettings import bp
from web.ui import roles_required

FIELDS = ("enabled", "host", "port", "security", "username", "password", "forget_password", "sender")


def _page(values=None, errors=None, status=200):
    return render_template("smtpsettings/settings.html", values=values or smtp.stored_for_page(),
                           has_password=smtp.stored_for_page()["has_password"], security=smtp.SECURITY,
                           overrides=sorted(smtp.overrides(current_app.config)), counts=outbox.counts(),
                           errors=errors or {}), status


@bp.get("")
@roles_required("admin")
def page():
    return _page()


@bp.post("")
@roles_required("admin")
def save():
    values = {key: request.form.get(key, "") for key in FIELDS}
    try:
        smtp.store(values, current_user)
    except ValidationError as exc:
        db.session.rollback()
        return _page({**values, "password": ""}, exc.errors, 422)
    db.session.commit()
    flash(_("Saved."))
    return redirect(url_for("smtpsettings.page"))


@bp.post("/test")
@roles_required("admin")
def test_letter():
    to = request.form.get("to", "").strip()
    try:
        settings = smtp.effective(current_app.config)
        smtp_client.send(settings, smtp.test_letter(settings, to, current_user))
    except ValidationError as exc:
        flash(_("The test letter was not sent: %(detail)s", detail=exc), "error")
    except (OSError, smtplib.SMTPException) as exc:
        detail = f"{type(exc).__name__}: {exc}"
        flash(_("The test letter was not sent: %(detail)s", detail=detail), "error")
    else:
        flash(_("A test letter was sent to %(to)s.", to=to))
    return redirect(url_for("smtpsettings.page"))
