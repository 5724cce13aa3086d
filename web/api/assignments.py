"""Assignments: the journal, a deal's assignments, create, read, verdicts."""
from flask import g, jsonify

from engine.db import db
from processes import deals
from tasks import assignment_journal as journal
from tasks import assignments
from web.api import bp
from web.api.util import json_body, optional_int, query_lists


def _full(assignment):
    task, verdicts = assignments.open_task(assignment)
    body = journal.assignment_dict(assignment, task, verdicts)
    body["events"] = [journal.event_dict(e) for e in assignments.events(assignment)]
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
    return jsonify(_full(assignments.get_assignment(assignment_id)))


@bp.post("/assignments/<int:assignment_id>/verdict")
def give_verdict(assignment_id):
    data = json_body()
    assignment = assignments.decide(assignments.get_assignment(assignment_id), str(data.get("verdict") or ""),
                                    g.api_user, str(data.get("comment") or ""), optional_int(data, "version"))
    db.session.commit()
    return jsonify(_full(assignment))
