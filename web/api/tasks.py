"""Tasks: my tasks, my group's tasks, claim, unclaim, complete."""
from flask import g, jsonify, request

from engine.db import db
from processes.errors import ValidationError
from processes.records.listing import QueryArgs, page_bounds
from processes.serialize import deal_dict
from tasks import inbox
from tasks.assignment_journal import assignment_dict
from tasks.assignment_models import Assignment
from web.api import bp
from web.api.util import json_body

MOST_PER_PAGE = 200  # as the assignments' journal


@bp.get("/tasks")
def list_tasks():
    scope, errors = request.args.get("scope", "mine"), {}
    if scope not in ("mine", "group"):
        errors["scope"] = "mine or group"
    numbers = QueryArgs(request.args.to_dict(flat=False)).integers((("page", 1), ("per_page", inbox.PER_PAGE)), errors)
    if errors:
        raise ValidationError(errors)
    page, per_page = page_bounds(numbers["page"], numbers["per_page"], MOST_PER_PAGE)
    listing = inbox.my_tasks if scope == "mine" else inbox.group_tasks
    items, more = listing(g.api_user, page, per_page)
    return jsonify({"tasks": [t.as_dict() for t in items], "page": page, "per_page": per_page, "has_more": more})


@bp.post("/tasks/<task_id>/claim")
def claim_task(task_id):
    item = inbox.claim(task_id, g.api_user)
    db.session.commit()
    return jsonify(item.as_dict())


@bp.post("/tasks/<task_id>/unclaim")
def unclaim_task(task_id):
    item = inbox.unclaim(task_id, g.api_user)
    db.session.commit()
    return jsonify(item.as_dict())


@bp.post("/tasks/<task_id>/complete")
def complete_task(task_id):
    record = inbox.complete(task_id, g.api_user, json_body())
    db.session.commit()
    if isinstance(record, Assignment):
        return jsonify(assignment_dict(record))
    return jsonify(deal_dict(record))
