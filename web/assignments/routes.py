"""Assignment views: each parses the request, calls one domain function, commits, renders or redirects."""
from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from engine.db import db
from processes import deals, users
from processes.errors import ValidationError
from tasks import assignment_journal as journal
from tasks import assignments
from tasks.assignment_models import PRIORITIES
from web.api.util import query_lists
from web.assignments import bp


@bp.get("/assignments")
@login_required
def journal_page():
    filters = journal.parse_filters(query_lists())
    rows, total = journal.search(filters, current_user)
    return render_template("assignments/journal.html", rows=rows, total=total, filters=filters)


def _render_form(deal, values, errors, status=200):
    return render_template("assignments/form.html", deal=deal, values=values, errors=errors,
                           people=users.list_users(), priorities=PRIORITIES), status


@bp.route("/deals/<int:number>/assignments/new", methods=["GET", "POST"])
@login_required
def new(number):
    deal = deals.get_deal(number)
    if request.method == "GET":
        return _render_form(deal, {"priority": "normal"}, {})
    data = request.form.to_dict()
    try:
        assignments.create_assignment(deal, data, current_user)
    except ValidationError as exc:
        db.session.rollback()
        return _render_form(deal, data, exc.errors, 422)
    db.session.commit()
    return redirect(url_for("deals.view", number=number))


@bp.get("/assignments/<int:assignment_id>")
@login_required
def show(assignment_id, errors=None, status=200):
    assignment = assignments.get_assignment(assignment_id)
    task, verdicts = assignments.open_task(assignment)
    mine = task is not None and task.assignee == str(current_user.id)
    return render_template("assignments/show.html", a=assignment, task=task, verdicts=verdicts if mine else [],
                           events=assignments.events(assignment), errors=errors or {}), status


@bp.post("/assignments/<int:assignment_id>/verdict")
@login_required
def verdict(assignment_id):
    assignment = assignments.get_assignment(assignment_id)
    try:
        assignments.decide(assignment, request.form.get("verdict", ""), current_user,
                           request.form.get("comment", ""), request.form.get("version", type=int))
    except ValidationError as exc:
        db.session.rollback()
        return show(assignment_id, exc.errors, 422)
    db.session.commit()
    return redirect(url_for("assignments.show", assignment_id=assignment_id))
