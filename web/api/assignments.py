"""Assignments: the journal, a deal's assignments, create, read, verdicts."""
from io import BytesIO

from flask import g, jsonify, send_file

from engine.db import db
from processes import deals
from tasks import assignment_files
from tasks import assignment_journal as journal
from tasks import assignments
from web.api import bp
from web.api.util import json_body, optional_int, query_lists


def _full(assignment):
    task, verdicts = assignments.open_task(assignment)
    body = journal.assignment_dict(assignment, task, verdicts)
    body["events"] = [journal.event_dict(e) for e in assignments.events(assignment)]
    body["files"] = [assignment_files.file_dict(f) for f in assignment_files.files_of(assignment, g.api_user)]
    return body


@bp.get("/assignments")
def list_assignments():
    filters = journal.parse_filters(query_lists())
    rows, total = journal.search(filters, g.api_user)
    return jsonify({"assignments": [journal.assignment_dict(a) for a in rows], "total": total,
                    "page": filters.page, "per_page": filters.per_page})


@bp.get("/deals/<int:number>/assignments")
def deal_assignments(number):
    deal = deals.get_deal(number)
    return jsonify({"assignments": [journal.assignment_dict(a) for a in journal.of_deal(deal)]})


@bp.post("/deals/<int:number>/assignments")
def create_assignment(number):
    assignment = assignments.create_assignment(deals.get_deal(number), json_body(), g.api_user)
    db.session.commit()
    return jsonify(_full(assignment)), 201


@bp.get("/assignments/<int:assignment_id>")
def read_assignment(assignment_id):
    return jsonify(_full(assignments.get_visible(assignment_id, g.api_user)))


@bp.get("/assignments/<int:assignment_id>/files/<int:file_id>")
def download_file(assignment_id, file_id):
    assignment = assignments.get_visible(assignment_id, g.api_user)
    row = assignment_files.get_file(assignment, file_id, g.api_user)
    response = send_file(BytesIO(row.data), mimetype=row.content_type, as_attachment=True,
                         download_name=row.name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/assignments/<int:assignment_id>/verdict")
def give_verdict(assignment_id):
    data = json_body()
    assignment = assignments.decide(assignments.get_visible(assignment_id, g.api_user),
                                    str(data.get("verdict") or ""),
                                    g.api_user, str(data.get("comment") or ""), optional_int(data, "version"))
    db.session.commit()
    return jsonify(_full(assignment))
