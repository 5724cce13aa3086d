"""Process definitions and the statuses of the deployed deal process."""
from flask import g, jsonify, request

from engine import definitions
from engine.db import db
from processes import statuses
from processes.access import require_role
from processes.deploy import deploy_source
from processes.errors import ValidationError
from web.api import bp


def _definition_dict(row, running):
    return {"id": row.id, "process_id": row.process_id, "version": row.version, "name": row.name,
            "hash": row.hash, "deployed_by": row.deployed_by,
            "deployed_at": row.deployed_at.isoformat(timespec="seconds"), "running": running}


@bp.get("/process/statuses")
def process_statuses():
    definition = statuses.current_definition()
    body = statuses.model_for(definition).as_dict()
    body["definition"] = {"process_id": definition.process_id, "version": definition.version}
    return jsonify(body)


@bp.get("/processes")
def list_processes():
    return jsonify({"processes": [_definition_dict(r, n) for r, n in definitions.list_definitions()]})


@bp.post("/processes")
def deploy_process():
    require_role(g.api_user, "analyst", "admin")
    upload = request.files.get("file")
    source = upload.read() if upload is not None else request.get_data()
    if not source:
        raise ValidationError({"file": "send the BPMN as the body or as a 'file' upload"})
    rows = deploy_source(source, g.api_user.username)
    db.session.commit()
    return jsonify({"processes": [_definition_dict(r, 0) for r in rows]}), 201
