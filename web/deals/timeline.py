"""The card's timeline and next steps: add a note, change or delete one, plan an activity, finish or move it.

Each view parses the form, calls one domain function, commits and goes back to the card; a refusal comes back
as a message on the card (the form is one field or three: nothing much to keep).
"""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.db import db
from processes import activities, deals, notes
from processes.errors import ValidationError
from web.deals import bp
from web.domain_messages import reason_text


def _back(number, anchor="timeline"):
    return redirect(url_for("deals.view", number=number) + f"#{anchor}")


def _labels():
    return {"text": _("Note"), "kind": _("Kind"), "summary": _("What to do"), "due_at": _("When"),
            "owner": _("Owner"), "outcome": _("Outcome"), "activity": _("Activity"), "comment": _("Comment")}


def _refused(exc):
    db.session.rollback()
    labels = _labels()
    details = "; ".join(f"{labels.get(name, name)}: {_(reason_text(str(reason)))}"
                        for name, reason in exc.errors.items())
    flash(_("Not saved: %(details)s", details=details), "error")


def _apply(change):
    """Run one domain change and commit it; a refusal rolls back and is shown on the card. Whether it was kept."""
    try:
        change()
    except ValidationError as exc:
        _refused(exc)
        return False
    db.session.commit()
    return True


@bp.post("/deals/<int:number>/notes")
@login_required
def add_note(number):
    _apply(lambda: notes.add_note(deals.get_deal(number), current_user, request.form.get("text", "")))
    return _back(number)


@bp.post("/deals/<int:number>/notes/<int:note_id>/edit")
@login_required
def edit_note(number, note_id):
    _apply(lambda: notes.edit_note(notes.get_note(deals.get_deal(number), note_id), current_user,
                                   request.form.get("text", "")))
    return _back(number)


@bp.post("/deals/<int:number>/notes/<int:note_id>/delete")
@login_required
def delete_note(number, note_id):
    notes.delete_note(notes.get_note(deals.get_deal(number), note_id), current_user)
    db.session.commit()
    return _back(number)


@bp.post("/deals/<int:number>/activities")
@login_required
def plan_activity(number):
    data = {name: request.form.get(name, "") for name in ("kind", "summary", "due_at", "owner")}
    _apply(lambda: activities.plan(deals.get_deal(number), current_user, data))
    return _back(number, "next-steps")


@bp.post("/activities/<int:activity_id>/done")
@login_required
def activity_done(activity_id):
    activity = activities.get_activity(activity_id)
    kept = _apply(lambda: activities.done(activity, current_user, request.form.get("outcome", ""),
                                          request.form.get("version")))
    if kept and request.form.get("next") == url_for("tasks.mine"):
        return redirect(url_for("tasks.mine"))
    return _back(activity.deal.number, "next-steps")


@bp.post("/activities/<int:activity_id>/reschedule")
@login_required
def activity_reschedule(activity_id):
    activity = activities.get_activity(activity_id)
    _apply(lambda: activities.reschedule(activity, current_user, request.form.get("due_at", ""),
                                         request.form.get("comment", ""), request.form.get("version")))
    return _back(activity.deal.number, "next-steps")
