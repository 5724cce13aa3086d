"""Process definitions and the statuses of the deployed deal process."""
from flask import g, jsonify, request

from engine.db import db
from processes import deploy, failures, journal, statuses
from processes.access import require_role
from processes.deploy import deploy_source, diff_of, validate_source
from processes.errors import ValidationError
from processes.fields import utc_text
from processes.migration import migrate_deals, undo_migration
from tasks import assignment_failures, assignment_flow, records
from web.api import bp
from web.api.util import json_body, optional_int


def _definition_dict(row, running):
    return {"id": row.id, "process_id": row.process_id, "version": row.version, "name": row.name,
            "hash": row.hash, "deployed_by": row.deployed_by,
            "deployed_at": utc_text(row.deployed_at), "running": running}


@bp.get("/process/statuses")
def process_statuses():
    definition = statuses.current_definition()
    body = statuses.model_for(definition).as_dict()
    body["definition"] = {"process_id": definition.process_id, "version": definition.version}
    return jsonify(body)


@bp.get("/processes")
def list_processes():
    return jsonify({"processes": [_definition_dict(r, n) for r, n in deploy.list_definitions()]})


def _uploaded_source():
    upload = request.files.get("file")
    source = upload.read() if upload is not None else request.get_data()
    if not source:
        raise ValidationError({"file": "send the BPMN as the body or as a 'file' upload"})
    return source


@bp.post("/processes/validate")
def validate_process():
    """Check a diagram as a deploy would, deploying nothing: 200 with the problems."""
    require_role(g.api_user, "analyst", "admin")
    problems = validate_source(_uploaded_source())
    return jsonify({"valid": not problems, "errors": [p.as_dict() for p in problems]})


def _migration_body(process_id, results, dry_run, **extra):
    return {"process_id": process_id, **extra, "dry_run": dry_run, "batch_id": results.batch_id,
            "moved": sum(r.moved for r in results), "refused": sum(not r.moved for r in results),
            "deals": [r.as_dict() for r in results]}


def _end(dry_run):
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()


def _journal_filter(body):
    """The ``filter`` of a migrate body (the journal's query parameters) as Filters, or None."""
    found = body.get("filter")
    if found is None:
        return None
    if not isinstance(found, dict):
        raise ValidationError({"filter": "an object of the journal's query parameters"})
    return journal.parse_filters({k: v if isinstance(v, list) else [v] for k, v in found.items()})


def _numbers(body):
    found = body.get("numbers")
    if found is None:
        return None
    if not isinstance(found, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in found):
        raise ValidationError({"numbers": "a list of deal numbers"})
    return found


@bp.post("/processes/<process_id>/migrate")
def migrate_process(process_id):
    """Move running deals to a version ({"to_version": n, "dry_run": true}); all, ``numbers`` or a ``filter``."""
    body = json_body()
    to_version = optional_int(body, "to_version")
    if to_version is None:
        raise ValidationError({"to_version": "required"})
    dry_run = body.get("dry_run", True) is not False
    results = migrate_deals(process_id, to_version, g.api_user, dry_run=dry_run, numbers=_numbers(body),
                            filters=_journal_filter(body))
    _end(dry_run)
    return jsonify(_migration_body(process_id, results, dry_run, to_version=to_version))


@bp.post("/processes/<process_id>/migrations/<int:batch_id>/undo")
def undo_process_migration(process_id, batch_id):
    """Migrate a batch's deals back where they came from, those that have not moved since ({"dry_run": true})."""
    dry_run = json_body().get("dry_run", True) is not False
    results = undo_migration(process_id, batch_id, g.api_user, dry_run=dry_run)
    _end(dry_run)
    return jsonify(_migration_body(process_id, results, dry_run, undone_batch=batch_id))


@bp.post("/processes")
def deploy_process():
    """Deploy; 201 with the new versions, 200 when nothing changed but layout or order (no version made)."""
    require_role(g.api_user, "analyst", "admin")
    rows = deploy_source(_uploaded_source(), g.api_user.username)
    db.session.commit()
    changed = any(r.created for r in rows)
    return jsonify({"processes": [_definition_dict(r, 0) for r in rows], "changed": changed}), 201 if changed else 200


@bp.route("/processes/<process_id>/diff", methods=["GET", "POST"])
def process_diff(process_id):
    """What deploying a diagram (POSTed, or GET ?source=) would change in the process against its newest version."""
    require_role(g.api_user, "analyst", "admin")
    if request.method == "GET":
        source = request.args.get("source", "").encode("utf-8")
        if not source:
            raise ValidationError({"source": "required: the BPMN text"})
    else:
        source = _uploaded_source()
    return jsonify(diff_of(source, process_id, records.of_process(process_id)))


@bp.get("/processes/<process_id>/stuck")
def stuck_deals(process_id):
    """Deals of a process stuck in an error: the node, the reason and the failed task's data."""
    require_role(g.api_user, "analyst", "admin", "director")
    body = {"process_id": process_id, "deals": [d.as_dict() for d in failures.stuck_deals(process_id)]}
    if process_id == assignment_flow.PROCESS:
        body["assignments"] = [a.as_dict() for a in assignment_failures.stuck_assignments()]
    return jsonify(body)


def _retried(result):
    db.session.commit()
    return jsonify(result.as_dict())


@bp.post("/deals/<int:number>/retry")
def retry_deal(number):
    """Run a stuck deal's failed task again ({"data": {...}} replaces the task's data); 200 either way."""
    return _retried(failures.retry_deal(number, g.api_user, json_body().get("data")))


@bp.post("/assignments/<int:assignment_id>/retry")
def retry_assignment(assignment_id):
    """Run a stuck assignment's failed task again ({"data": {...}} replaces the task's data); 200 either way."""
    return _retried(assignment_failures.retry_assignment(assignment_id, g.api_user, json_body().get("data")))
