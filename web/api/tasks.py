"""Tasks: my tasks, my group's tasks, claim, unclaim, complete."""
from flask import g, jsonify, request

from engine.db import db
from processes.errors import ValidationError
from processes.serialize import deal_dict
from tasks import inbox
from tasks.assignment_journal import assignment_dict
from tasks.assignment_models import Assignment
from web.api import bp
from web.api.util import json_body


@bp.get("/tasks")
def list_tasks():
    scope = request.args.get("scope", "mine")
    if scope not in ("mine", "group"):
        raise ValidationError({"scope": "mine or group"})
    items = inbox.my_tasks(g.api_user) if scope == "mine" else inbox.group_tasks(g.api_user)
    return jsonify({"tasks": [t.as_dict() for t in items]})


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
