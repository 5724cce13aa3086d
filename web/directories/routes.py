"""Directory views (admins only): list, create, edit and deactivate."""
from flask import redirect, render_template, request, url_for
from flask_login import current_user

from engine.db import db
from processes import directories, reasons
from processes.errors import ValidationError
from web.directories import bp
from web.ui import roles_required


@bp.get("/counterparties")
@roles_required("admin")
def counterparties():
    rows = directories.find_counterparties(request.args.get("q", "").strip(), limit=500, include_inactive=True)
    return render_template("directories/counterparties.html", rows=rows)


@bp.route("/counterparties/new", methods=["GET", "POST"])
@bp.route("/counterparties/<int:counterparty_id>", methods=["GET", "POST"])
@roles_required("admin")
def counterparty(counterparty_id=None):
    row = directories.get_counterparty(counterparty_id) if counterparty_id else None
    if request.method == "GET":
        return render_template("directories/counterparty.html", row=row, values={}, errors={})
    form = request.form
    try:
        if row is None:
            directories.create_counterparty(form.get("name"), form.get("inn"), form.get("kpp"), form.get("contacts"))
        else:
            directories.update_counterparty(row.id, form.get("name"), form.get("inn"), form.get("kpp"),
                                            form.get("contacts"), active=bool(form.get("active")))
    except ValidationError as exc:
        db.session.rollback()
        return render_template("directories/counterparty.html", row=row, values=form, errors=exc.errors), 422
    db.session.commit()
    return redirect(url_for("directories.counterparties"))


@bp.get("/sources")
@roles_required("admin")
def sources():
    return render_template("directories/sources.html", rows=directories.list_sources(include_inactive=True),
                           errors={})


@bp.post("/sources")
@roles_required("admin")
def create_source():
    try:
        directories.create_source(request.form.get("name"))
    except ValidationError as exc:
        return _sources_refused(exc.errors)
    db.session.commit()
    return redirect(url_for("directories.sources"))


def _sources_refused(errors, row_errors=None):
    """The sources page again with the refusal: the new-source field's, or a row's with what was typed there."""
    db.session.rollback()
    return render_template("directories/sources.html", errors=errors, row_errors=row_errors or {},
                           rows=directories.list_sources(include_inactive=True)), 422


@bp.post("/sources/<int:source_id>")
@roles_required("admin")
def update_source(source_id):
    try:
        directories.update_source(source_id, request.form.get("name"), active=bool(request.form.get("active")))
    except ValidationError as exc:
        return _sources_refused({}, {source_id: (request.form.get("name", ""), exc.errors)})
    db.session.commit()
    return redirect(url_for("directories.sources"))


@bp.get("/refusal-reasons")
@roles_required("admin")
def reasons_page():
    return render_template("directories/reasons.html", rows=reasons.list_reasons(include_inactive=True), errors={})


def _reasons_refused(errors, row_errors=None):
    db.session.rollback()
    return render_template("directories/reasons.html", errors=errors, row_errors=row_errors or {},
                           rows=reasons.list_reasons(include_inactive=True)), 422


@bp.post("/refusal-reasons")
@roles_required("admin")
def create_reason():
    try:
        reasons.create_reason(request.form.get("name"), current_user)
    except ValidationError as exc:
        return _reasons_refused(exc.errors)
    db.session.commit()
    return redirect(url_for("directories.reasons_page"))


@bp.post("/refusal-reasons/<int:reason_id>")
@roles_required("admin")
def update_reason(reason_id):
    try:
        reasons.update_reason(reason_id, request.form.get("name"), bool(request.form.get("active")), current_user)
    except ValidationError as exc:
        return _reasons_refused({}, {reason_id: (request.form.get("name", ""), exc.errors)})
    db.session.commit()
    return redirect(url_for("directories.reasons_page"))
