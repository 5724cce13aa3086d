"""Mail settings views (admins only); the password is never sent back to the browser."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.db import db
from mail import mailbox, status
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
            raise ValidationError({settings.SITE_LABELS: _("Each line is «field: label, label» with a field "
                                                           "from the list; not «%(line)s»", line=line.strip())})
        labels[field.strip()] = [n.strip() for n in names.split(",") if n.strip()]
    return labels or None


def _parse_rules(text):
    rules = []
    for line in text.splitlines():
        needle, sep, source = line.partition("=")
        if line.strip() and (not sep or not needle.strip() or not source.strip()):
            raise ValidationError({settings.SUBJECT_RULES: _("Each line is «word = source»; not «%(line)s»",
                                                             line=line.strip())})
        if line.strip():
            rules.append([needle.strip(), source.strip()])
    return rules


def _page(errors=None, code=200, typed=None):
    """The settings page: the stored values, or after a refused save what the admin typed (password masked)."""
    if typed is not None:
        url, blanked = mailbox.blank_typed_passwords(typed.get("url", ""))
        if blanked:  # never shown back: the admin types it again (saved blank, the check would say so)
            errors = {**(errors or {}), "mail-inbox-crm.password": _("type the password again")}
        labels, rules = typed.get("labels", ""), typed.get("rules", "")
        guard = {"letters": typed.get("guard_letters", ""), "hours": typed.get("guard_hours", "")}
    else:
        url, labels = mailbox.mask_url(settings.get(settings.MAILBOX)), _lines(settings.get(settings.SITE_LABELS)
                                                                                  or DEFAULT_LABELS)
        rules = "\n".join(f"{needle} = {source}" for needle, source in settings.get(settings.SUBJECT_RULES))
        guard = settings.get(settings.LOOP_GUARD)
    return render_template("mailsettings/settings.html", url=url,
                           from_env=bool(current_app.config.get("MAIL_INBOX_CRM")), labels=labels,
                           rules=rules, guard=guard, errors=errors or {},
                           failures=quarantine.failures(current_user), skipped=quarantine.skipped_counts(),
                           worker=status.current()), code


@bp.get("")
@roles_required("admin")
def page():
    return _page()


@bp.post("")
@roles_required("admin")
def save():
    form, errors, values = request.form, {}, {}
    url = mailbox.merge_password(form.get("url", "").strip(), settings.get(settings.MAILBOX))
    for key, read in ((settings.MAILBOX, lambda: _checked_url(url)),
                      (settings.SITE_LABELS, lambda: _parse_labels(form.get("labels", ""))),
                      (settings.SUBJECT_RULES, lambda: _parse_rules(form.get("rules", ""))),
                      (settings.LOOP_GUARD, lambda: _parse_guard(form))):
        try:
            values[key] = read()
        except ValidationError as exc:  # every field is checked: all mistakes are named at once
            errors.update(exc.errors)
    if errors:
        return _page(errors, 422, form)
    for key, value in values.items():
        settings.put(key, value, current_user)
    db.session.commit()
    flash(_("Saved."))
    return redirect(url_for("mailsettings.page"))


def _checked_url(url):
    if url:
        parse_url(url)  # a ValidationError naming the wrong part
    return url


def _parse_guard(form):
    try:
        return {"letters": int(form.get("guard_letters") or 20), "hours": float(form.get("guard_hours") or 2)}
    except ValueError:
        raise ValidationError({settings.LOOP_GUARD: _("a number")}) from None


@bp.post("/check")
@roles_required("admin")
def check():
    url = current_app.config.get("MAIL_INBOX_CRM") or settings.get(settings.MAILBOX)
    result = check_connection(url, cafile=current_app.config.get("MAIL_CA_FILE"))
    flash(_(REASONS[result.reason], detail=result.detail, total=result.total, unseen=result.unseen),
          "message" if result.reason == "ok" else "error")
    return redirect(url_for("mailsettings.page"))
