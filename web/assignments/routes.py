"""Assignment views: each parses the request, calls one domain function, commits, renders or redirects."""
from io import BytesIO

from flask import redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from engine.db import db
from processes import deals, users
from processes.errors import ValidationError
from tasks import assignment_failures, assignment_files
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
    return render_template("assignments/journal.html", rows=rows, total=total, filters=filters,
                           statuses=journal.status_labels())


def _render_form(deal, values, errors, status=200, too_large=()):
    return render_template("assignments/form.html", deal=deal, values=values, errors=errors,
                           people=users.list_users(), priorities=PRIORITIES, too_large=too_large,
                           max_file_mb=assignment_files.MAX_FILE_MB,
                           max_files=assignment_files.MAX_FILES), status


def _uploads():
    """The form's files as plain uploads; one byte past the limit is enough to refuse a file."""
    return [assignment_files.Upload(f.filename, f.mimetype or "", f.read(assignment_files.MAX_FILE_BYTES + 1))
            for f in request.files.getlist("files") if f.filename]


@bp.route("/deals/<int:number>/assignments/new", methods=["GET", "POST"])
@login_required
def new(number):
    deal = deals.get_deal(number)
    if request.method == "GET":
        return _render_form(deal, {"priority": "normal"}, {})
    data, uploads = request.form.to_dict(), _uploads()
    try:
        assignments.create_assignment(deal, data, current_user, uploads)
    except ValidationError as exc:
        db.session.rollback()
        errors = dict(exc.errors)
        if uploads and "files" not in errors:  # a browser cannot refill a file field: say so
            errors["files"] = "attach the files again: they are not kept when the form is refused"
        return _render_form(deal, data, errors, 422, getattr(exc, "too_large", ()))
    db.session.commit()
    return redirect(url_for("deals.view", number=number))


@bp.get("/assignments/<int:assignment_id>")
@login_required
def show(assignment_id, errors=None, status=200):
    assignment = assignments.get_visible(assignment_id, current_user)
    task, verdicts = assignments.open_task(assignment)
    failure = assignment_failures.failure_of(assignment)
    mine = task is not None and task.assignee == str(current_user.id) and failure is None
    return render_template("assignments/show.html", a=assignment, task=task, verdicts=verdicts if mine else [],
                           failure=failure, events=assignments.events(assignment), errors=errors or {},
                           files=assignment_files.files_of(assignment, current_user)), status


@bp.get("/assignments/<int:assignment_id>/files/<int:file_id>")
@login_required
def download(assignment_id, file_id):
    assignment = assignments.get_visible(assignment_id, current_user)
    row = assignment_files.get_file(assignment, file_id, current_user)
    response = send_file(BytesIO(row.data), mimetype=row.content_type, as_attachment=True,
                         download_name=row.name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"  # never rendered as a page of this site
    return response


@bp.post("/assignments/<int:assignment_id>/verdict")
@login_required
def verdict(assignment_id):
    assignment = assignments.get_visible(assignment_id, current_user)
    try:
        assignments.decide(assignment, request.form.get("verdict", ""), current_user,
                           request.form.get("comment", ""), request.form.get("version", type=int))
    except ValidationError as exc:
        db.session.rollback()
        return show(assignment_id, exc.errors, 422)
    db.session.commit()
    return redirect(url_for("assignments.show", assignment_id=assignment_id))
