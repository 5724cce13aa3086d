"""The deploy page: upload a diagram, read what it would change, confirm; and the modeler's diff endpoint.

The source travels back with the confirmation (base64 in a hidden field): the
diff the analyst confirmed is the diff of what is deployed, and the deploy
re-checks everything as any deploy does.
"""
import base64
import binascii

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.db import db
from processes.deploy import deploy_source, diff_source
from processes.errors import InvalidDiagram, ValidationError
from tasks import records
from web.processes_ui import bp
from web.problem_messages import problem_dict
from web.ui import roles_required

EDITORS = ("analyst", "admin")


def _page(**context):
    return render_template("processes_ui/deploy.html", **context)


def _source_from_form():
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        return upload.read()
    try:
        return base64.b64decode(request.form.get("source", ""), validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"source": _("The diagram sent back is damaged: upload it again.")}) from None


@bp.get("/deploy-file")
@roles_required(*EDITORS)
def deploy_page():
    return _page()


@bp.post("/deploy-file")
@roles_required(*EDITORS)
def deploy_file():
    """Without ``confirm``: the problems or the diff, with a confirmation form; with it: deploy."""
    source = _source_from_form()
    if not source:
        return _page(missing=True)
    if request.form.get("confirm") != "1":
        try:
            diffs = diff_source(source, records.of_process)
        except InvalidDiagram as exc:
            return _page(problems=[problem_dict(p) for p in exc.problems]), 422
        return _page(diffs=diffs, source=base64.b64encode(source).decode("ascii"),
                     changed=any(d["changed"] for d in diffs))
    rows = deploy_source(source, current_user.username)
    db.session.commit()
    made = [r for r in rows if r.created]
    if made:
        flash(_("Deployed: %(versions)s.", versions=", ".join(f"{r.process_id} v{r.version}" for r in made)))
    else:
        flash(_("No changes: no new version was made."))
    return redirect(url_for("processes_ui.index"))


@bp.post("/diff")
@roles_required(*EDITORS)
def diff_json():
    """What deploying the posted diagram would change, per process (JSON for the modeler); 422 when refused."""
    upload = request.files.get("file")
    source = upload.read() if upload is not None else request.get_data()
    if not source:
        raise ValidationError({"file": _("Send a BPMN diagram.")})
    diffs = diff_source(source, records.of_process)
    # ``html``: the diff as the deploy page words it, in the user's language, for the modeler's confirmation
    html = "".join(render_template("processes_ui/_diff.html", d=d) for d in diffs)
    return jsonify({"changed": any(d["changed"] for d in diffs), "processes": diffs, "html": html})
