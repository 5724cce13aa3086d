"""Contact views: each parses the request, calls one domain function, commits, renders or answers JSON."""
from functools import wraps

from flask import jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.db import db
from processes import contacts, deals
from processes.counterparty_card import load as counterparty_card_of
from processes.errors import LikelyDuplicate, ValidationError
from processes.fields import lookup_id
from web.api.util import json_body
from web.contacts import bp


@bp.get("/contacts")
@login_required
def directory():
    rows = contacts.find_contacts(request.args.get("q", ""), limit=500)
    return render_template("contacts/list.html", rows=rows)


@bp.get("/contacts.json")
@login_required
def search():
    """Type-ahead of the deal form's contact field; the deal's counterparty's people first."""
    rows = contacts.find_contacts(request.args.get("q", ""), lookup_id(request.args.get("counterparty_id")), 15)
    return jsonify([contacts.contact_dict(row) | {"label": _label(row)} for row in rows])


def _label(row):
    return " · ".join(filter(None, (row.name, row.position, row.counterparty.name if row.counterparty else "",
                                    row.email)))


def answers_in_words(view):
    """A dialog's refusals in the reader's language: per field (422), or the lookalikes found (409)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except ValidationError as exc:
            db.session.rollback()
            return jsonify({"error": "validation_error", "message": str(exc),
                            "errors": {name: _(message) for name, message in exc.errors.items()}}), 422
        except LikelyDuplicate as exc:
            db.session.rollback()
            return jsonify({"error": "likely_duplicate", "message": _(str(exc)), "duplicates": exc.duplicates,
                            "can_confirm": exc.can_confirm}), 409
    return wrapper


@bp.post("/contacts.json")
@login_required
@answers_in_words
def create_contact():
    """The deal form's «New contact» dialog: 201 with the contact, 409 ``likely_duplicate``, 422 per field."""
    data = json_body()
    row = contacts.create_contact(current_user, data, confirm=data.get("confirm") is True)
    db.session.commit()
    return jsonify(contacts.contact_dict(row) | {"label": _label(row)}), 201


@bp.post("/counterparties.json")
@login_required
@answers_in_words
def create_counterparty():
    """The deal form's «New counterparty» dialog: 201, 409 ``likely_duplicate`` (the same INN: not confirmable)."""
    data = json_body()
    row = contacts.create_counterparty(current_user, _text(data, "name"), _text(data, "inn"), _text(data, "kpp"),
                                       confirm=data.get("confirm") is True)
    db.session.commit()
    return jsonify(contacts.counterparty_brief(row)), 201


def _text(data, name):
    value = data.get(name)
    return value if isinstance(value, str) else None


@bp.post("/deals/<int:number>/contacts")
@login_required
def add_to_deal(number):
    """The card's «Add a contact»: one more contact of the deal (the primary one is the form's field)."""
    contacts.add_to_deal(deals.get_deal(number), request.form.get("contact_id"), current_user)
    db.session.commit()
    return redirect(url_for("deals.view", number=number))


@bp.get("/counterparties/<int:counterparty_id>")
@login_required
def counterparty_card(counterparty_id):
    return render_template("contacts/counterparty.html", card=counterparty_card_of(counterparty_id, current_user))
