"""Mail settings views (admins only); the password is never sent back to the browser."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.db import db
from mail.check import check_connection
from mail.mailbox import parse_url
from mail.siteform import DEFAULT_LABELS
from processes import quarantine, settings
from processes.errors import ValidationError
from web.mailsettings import bp
from web.ui import roles_required

REASONS = {  # what the connection check says, for people
    "ok": "Connected: %(detail)s, %(total)s letters, %(unseen)s unread.",
    "bad_url": "The mailbox URL is wrong: %(detail)s",
    "dns": "The mail server's name is not found: %(detail)s",
    "refused": "The mail server refused the connection: %(detail)s",
    "timeout": "The mail server did not answer in time: %(detail)s",
    "tls": "The secure connection failed (certificate?): %(detail)s",
    "plaintext": "The server refuses a login without encryption: use imaps:// or starttls=true. %(detail)s",
    "login": "The server refused the user name or password: %(detail)s",
    "folder": "The folder does not exist: %(detail)s",
    "protocol": "The mail server answered unexpectedly: %(detail)s",
}


def _lines(mapping):
    return "\n".join(f"{key}: {', '.join(values)}" for key, values in mapping.items())


def _parse_labels(text):
    labels = {}
    for line in text.splitlines():
        field, sep, names = line.partition(":")
        if not sep or field.strip() not in DEFAULT_LABELS:
            raise ValidationError({settings.SITE_LABELS: f"not 'field: label, label': {line.strip()}"})
        labels[field.strip()] = [n.strip() for n in names.split(",") if n.strip()]
    return labels or None


def _parse_rules(text):
    rules = []
    for line in text.splitlines():
        needle, sep, source = line.partition("=")
        if line.strip() and (not sep or not needle.strip() or not source.strip()):
            raise ValidationError({settings.SUBJECT_RULES: f"not 'word = source': {line.strip()}"})
        if line.strip():
            rules.append([needle.strip(), source.strip()])
    return rules


def _page(errors=None, status=200):
    labels = settings.get(settings.SITE_LABELS) or DEFAULT_LABELS
    rules = "\n".join(f"{needle} = {source}" for needle, source in settings.get(settings.SUBJECT_RULES))
    return render_template("mailsettings/settings.html", url=settings.mask_url(settings.get(settings.MAILBOX)),
                           from_env=bool(current_app.config.get("MAIL_INBOX_CRM")), labels=_lines(labels),
                           rules=rules, guard=settings.get(settings.LOOP_GUARD), errors=errors or {},
                           failures=quarantine.failures(current_user), skipped=quarantine.skipped_counts()), status


@bp.get("")
@roles_required("admin")
def page():
    return _page()


@bp.post("")
@roles_required("admin")
def save():
    form = request.form
    try:
        url = settings.merge_password(form.get("url", "").strip(), settings.get(settings.MAILBOX))
        if url:
            parse_url(url)
        guard = {"letters": int(form.get("guard_letters") or 20), "hours": float(form.get("guard_hours") or 2)}
        settings.put(settings.MAILBOX, url, current_user)
        settings.put(settings.SITE_LABELS, _parse_labels(form.get("labels", "")), current_user)
        settings.put(settings.SUBJECT_RULES, _parse_rules(form.get("rules", "")), current_user)
        settings.put(settings.LOOP_GUARD, guard, current_user)
    except ValueError:
        db.session.rollback()
        return _page({settings.LOOP_GUARD: _("a number")}, 422)
    except ValidationError as exc:
        db.session.rollback()
        return _page(exc.errors, 422)
    db.session.commit()
    flash(_("Saved."))
    return redirect(url_for("mailsettings.page"))


@bp.post("/check")
@roles_required("admin")
def check():
    url = current_app.config.get("MAIL_INBOX_CRM") or settings.get(settings.MAILBOX)
    result = check_connection(url, cafile=current_app.config.get("MAIL_CA_FILE"))
    flash(_(REASONS[result.reason], detail=result.detail, total=result.total, unseen=result.unseen))
    return redirect(url_for("mailsettings.page"))
