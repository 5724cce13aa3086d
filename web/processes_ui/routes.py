"""Views of the «Процессы» section; analysts and admins edit, any signed-in user views a diagram."""
import json

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.db import db
from processes import deploy as deployed
from processes import failures, monitoring
from processes.deal_record import DEAL
from processes.records import dashboard as record_dashboard
from processes.deploy import deploy_source, validate_source
from processes import migration_batches
from processes.migration import target_definition
from processes.errors import ValidationError
from tasks import assignment_failures, records
from web.headers import download_headers
from web.processes_ui import bp, modeler_texts
from web.domain_messages import reason_text
from web.problem_messages import problem_dict
from web.ui import roles_required

EDITORS = ("analyst", "admin")


def versions():
    """{process_id: [(definition row, running count)]}, newest version first."""
    grouped = {}
    for row, running in deployed.list_definitions():
        grouped.setdefault(row.process_id, []).insert(0, (row, running))
    return grouped


@bp.get("/")
@roles_required(*EDITORS)
def index():
    return render_template("processes_ui/list.html", processes=versions(), migration=None,
                           batches=migration_batches.recent(DEAL.process_id))


@bp.get("/<process_id>/v<int:version>.bpmn")
@login_required
def source(process_id, version):
    """The BPMN of a version, always as a download: the modeler and viewers fetch it, a browser never renders it.

    A diagram is an analyst's XML; rendered inline on the app's origin, markup in it would run as the viewer.
    """
    row = target_definition(process_id, version)
    return Response(row.source, mimetype="application/xml", headers=download_headers(f"{process_id}-v{version}.bpmn"))


@bp.get("/<process_id>/v<int:version>")
@roles_required(*EDITORS)
def modeler(process_id, version):
    row = target_definition(process_id, version)
    latest = deployed.latest(process_id)
    return render_template("processes_ui/modeler.html", definition=row, latest=latest,
                           modeler_texts=modeler_texts.dictionary())


def _posted_source():
    upload = request.files.get("file")
    source = upload.read() if upload is not None else request.get_data()
    if not source:
        raise ValidationError({"file": _("Send a BPMN diagram.")})
    return source


@bp.post("/validate")
@roles_required(*EDITORS)
def validate():
    """The problems of the posted diagram (JSON), each naming the element to highlight."""
    problems = validate_source(_posted_source())
    return jsonify({"valid": not problems, "errors": [problem_dict(p) for p in problems]})


@bp.post("/deploy")
@roles_required(*EDITORS)
def deploy():
    """Deploy the posted diagram as a new version; a refused one answers 422 with the problems.

    A diagram changed only in layout, order or formatting makes no version: 200 with ``changed`` false
    and a message saying so.
    """
    rows = deploy_source(_posted_source(), current_user.username)
    db.session.commit()
    changed = any(r.created for r in rows)
    body = {"changed": changed, "processes": [
        {"process_id": r.process_id, "version": r.version, "created": r.created,
         "url": url_for("processes_ui.modeler", process_id=r.process_id, version=r.version)} for r in rows]}
    if not changed:
        body["message"] = _("No changes: no new version was made.")
    return jsonify(body), 201 if changed else 200


@bp.get("/<process_id>/dashboard")
@roles_required(*EDITORS, "director")
def newest_dashboard(process_id):
    """The dashboard of the process's newest version (the director's menu leads here)."""
    row = deployed.latest(process_id)
    if row is None:
        abort(404)
    return redirect(url_for("processes_ui.dashboard", process_id=process_id, version=row.version))


@bp.get("/<process_id>/v<int:version>/dashboard")
@roles_required(*EDITORS, "director")
def dashboard(process_id, version):
    """A version's diagram with the figures of every version (``?only=N``: of the records on version N)."""
    row = target_definition(process_id, version)
    kind = records.of_process(process_id) or DEAL  # a process no record runs: the deals' (none of them)
    only = request.args.get("only", type=int)
    data = record_dashboard.dashboard(kind, row, version=only)
    paths = monitoring.real_paths(row, data["days"], only) if kind is DEAL else None
    return render_template("processes_ui/dashboard.html", definition=row, data=data, paths=paths,
                           versions=[v for v, _ in versions().get(process_id, [])])


def _posted_task_data():
    """The task data the retry form sent (a JSON object), or None to rerun with the data the task had."""
    text = request.form.get("data", "").strip()
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValidationError({"data": _("The task data is not valid JSON: %(error)s", error=exc)}) from None
    if not isinstance(data, dict):
        raise ValidationError({"data": _("The task data must be a JSON object.")})
    return data


def _retried(result, went_on, failed_again):
    """Commit a retry, say what it did, and go back to the dashboard of the version it ran on."""
    db.session.commit()
    flash(*((went_on, "message") if result.proceeded else (failed_again, "error")))
    return redirect(url_for("processes_ui.dashboard", process_id=result.process_id, version=result.version))


@bp.post("/deal/<int:number>/retry")
@roles_required(*EDITORS)
def retry(number):
    """«Retry from this task»: run a stuck deal's failed task again, with the data as corrected."""
    result = failures.retry_deal(number, current_user, _posted_task_data())
    return _retried(result, _("Deal %(number)s went on: now «%(status)s».", number=number, status=result.status_label),
                    _("Deal %(number)s failed again: %(reason)s", number=number, reason=reason_text(result.reason)))


@bp.post("/assignment/<int:assignment_id>/retry")
@roles_required(*EDITORS)
def retry_assignment(assignment_id):
    """«Retry from this task» for an assignment whose process broke after a timer."""
    result = assignment_failures.retry_assignment(assignment_id, current_user, _posted_task_data())
    return _retried(result, _("Assignment %(id)s went on.", id=assignment_id),
                    _("Assignment %(id)s failed again: %(reason)s", id=assignment_id, reason=reason_text(result.reason)))


@bp.get("/deal/<int:number>/diagram.json")
@login_required
def deal_diagram(number):
    """What the deal card's viewer draws: the version's BPMN URL, current node, path and time per node."""
    data = monitoring.deal_diagram(number)
    data["bpmn_url"] = url_for("processes_ui.source", process_id=data["process_id"], version=data["version"])
    return jsonify(data)


@bp.get("/deal/<int:number>/diagram")
@login_required
def deal_diagram_page(number):
    """The deal's diagram alone on a page (the card embeds the same include)."""
    monitoring.deal_diagram(number)  # a 404 for a deal that does not exist
    return render_template("processes_ui/deal_diagram.html", number=number)


@bp.app_template_global()
def process_label(definition):
    return deployed.process_label(definition)


@bp.app_template_global()
def can_edit_processes():
    return current_user.is_authenticated and current_user.role in EDITORS

