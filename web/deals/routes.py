"""Deal views: each parses the request, calls one domain function, commits, renders or redirects."""
import io

from flask import abort, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from engine import clock
from engine.db import db
from mail import parse
from processes import activities, card, contacts, deals, directories, fields, letters, moves, notes, rotting, statuses
from processes.errors import Conflict, ValidationError
from processes.fields import EDITABLE
from tasks import timeline
from web.deals import bp
from web.deals.form import SECTIONS, form_choices
from web.ui import choices, my_task_badge, page_number


def _form_data():
    """The deal fields the form sent (only the known ones; blanks kept so they can clear)."""
    return {name: request.form[name] for name in EDITABLE if name in request.form}


PICKED = (("counterparty_name", "counterparty_id", "pick the counterparty from the list, "
                                                   "or add a new one with «New counterparty»"),
          ("contact_search", "contact_id", "pick the contact from the list, or add a new one with «New contact»"))


def _check_picked(data, partial=False):
    """A counterparty or contact typed but not picked from the directory is refused, not dropped silently;
    together with every other field's mistake, so the form shows them all at once."""
    errors = {field: message for typed, field, message in PICKED
              if request.form.get(typed, "").strip() and not request.form.get(field)}
    if errors:
        try:
            fields.clean(data, partial=partial)
        except ValidationError as exc:
            errors = {**exc.errors, **errors}
        raise ValidationError(errors)


def _render_form(deal, values, errors, status=200):
    return render_template("deals/form.html", deal=deal, values=values, errors=errors,
                           **form_choices()), status


@bp.route("/deals/new", methods=["GET", "POST"])
@login_required
def new_deal():
    if request.method == "GET":
        return _render_form(None, {"responsible_id": current_user.id}, {})
    data = _form_data()
    try:
        _check_picked(data)
        deal = deals.create_deal(data, current_user)
    except ValidationError as exc:
        db.session.rollback()
        values = {**data, **request.form.to_dict()}
        if "responsible_id" not in request.form:  # the quick dialog has no such field: the creator, as on success
            values["responsible_id"] = current_user.id
        return _render_form(None, values, exc.errors, 422)
    db.session.commit()
    return redirect(url_for("deals.view", number=deal.number))


@bp.get("/deals/<int:number>")
@login_required
def view(number):
    return _render_card(number)


def _render_card(number, status_values=None, status_errors=None, status=200):
    """The card; with status errors its «Изменить статус» dialog opens again as the user left it."""
    deal_card = card.load_card(number, current_user)
    timeline_page = page_number("timeline_page")
    entries, more = timeline.page(deal_card.deal, current_user, timeline_page)
    return render_template("deals/card.html", card=deal_card, sections=SECTIONS,
                           letters=letters.letters_of(deal_card.deal),
                           deal_contacts=contacts.contacts_of(deal_card.deal), status_values=status_values or {},
                           status_errors=status_errors or {}, timeline=entries, timeline_page=timeline_page,
                           timeline_more=more, note_editable=notes.editable, activity_kinds=activities.KINDS,
                           owners=choices().responsibles, now=clock.now(),
                           idle=rotting.idle_days([deal_card.deal], deal_card.model).get(deal_card.deal.id)), status


@bp.get("/deals/<int:number>/letters/<int:letter_id>.eml")
@login_required
def letter_eml(number, letter_id):
    """The letter as it arrived, every attachment inside."""
    letter = letters.get_letter(deals.get_deal(number), letter_id)
    return send_file(io.BytesIO(letter.raw), mimetype="message/rfc822", as_attachment=True,
                     download_name=f"deal-{number}-letter-{letter.id}.eml")


@bp.get("/deals/<int:number>/letters/<int:letter_id>/attachments/<int:index>")
@login_required
def letter_attachment(number, letter_id, index):
    letter = letters.get_letter(deals.get_deal(number), letter_id)
    name, content_type, payload = parse.attachment(letter, index)
    return send_file(io.BytesIO(payload), mimetype=content_type or "application/octet-stream",
                     as_attachment=True, download_name=name)


@bp.route("/deals/<int:number>/edit", methods=["GET", "POST"])
@login_required
def edit(number):
    deal_card = card.load_card(number, current_user)
    deal = deal_card.deal
    if request.method == "GET":
        if not deal_card.can_edit:
            abort(403)
        return _render_form(deal, {}, {})
    data = _form_data()
    try:
        _check_picked(data, partial=True)
        deals.update_deal(deal, data, current_user, expected_version=request.form.get("version"))
    except ValidationError as exc:
        db.session.rollback()
        return _render_form(deal, request.form.to_dict(), exc.errors, 422)
    except Conflict:
        # Someone saved the deal meanwhile: the form comes back over the new version with this user's changes.
        db.session.rollback()
        return render_template("deals/form.html", deal=deal, values=_changes_only(request.form), errors={},
                               conflict=True, **form_choices()), 409
    db.session.commit()
    return redirect(url_for("deals.view", number=number))


def _changes_only(form):
    """What the user changed in the edit form (its script names them in ``changed``); without it, all typed."""
    if "changed" not in form:
        return form.to_dict()
    changed = set(filter(None, form["changed"].split(",")))
    for typed, field, _ in PICKED:
        if changed & {typed, field}:
            changed |= {typed, field}  # one field, two inputs
    return {name: value for name, value in form.items() if name in changed}


CHANGED_MEANWHILE = "someone changed the deal meanwhile: check its status now and send again"


@bp.post("/deals/<int:number>/status")
@login_required
def change_status(number):
    """«Изменить статус» from the card's dialog (a form) or a kanban drop (JSON)."""
    data = request.get_json(silent=True) if request.is_json else request.form
    data = data or {}
    try:
        deal = moves.move_deal(deals.get_deal(number), str(data.get("status") or ""), current_user,
                               comment=str(data.get("comment") or ""), expected_version=data.get("version") or None,
                               reason_id=data.get("reason_id") or None)
    except (ValidationError, Conflict) as exc:
        if request.is_json:
            raise
        db.session.rollback()
        # The dialog opens again as the user left it; after a conflict, over the deal as it is now.
        errors = exc.errors if isinstance(exc, ValidationError) else {"status": CHANGED_MEANWHILE}
        return _render_card(number, {"status": data.get("status", ""), "comment": data.get("comment", "")},
                            errors, 422 if isinstance(exc, ValidationError) else 409)
    db.session.commit()
    if request.is_json:
        model = statuses.model_of(deal)  # the version the deal runs on, maybe not the newest
        return jsonify({"number": deal.number, "status": deal.status, "version": deal.version,
                        "status_label": model.get(deal.status).label,
                        "allowed": [s.code for s in card.moves_for(current_user, deal, model)],
                        "days_text": ngettext("%(num)d day", "%(num)d days", 0),  # a card's «0 дней» badge
                        "responsible": deal.responsible.display_name if deal.responsible else None,
                        "my_task_count": my_task_badge()})  # the header's badge
    return redirect(url_for("deals.view", number=number))


@bp.get("/deals/counterparties.json")
@login_required
def counterparties():
    """Type-ahead of the counterparty field."""
    rows = directories.find_counterparties(request.args.get("q", "").strip(), limit=15)
    return jsonify([{"id": c.id, "name": c.name, "inn": c.inn or ""} for c in rows])
