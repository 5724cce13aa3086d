"""Deals: list, create, read, update, move, claim, history."""
from flask import Response, g, jsonify

from engine.db import db
from processes import card, deals, journal, letters, moves, statuses
from processes.serialize import deal_dict, history_dict, row_dicts
from web.api import bp
from web.api.util import json_body, optional_int, query_lists


def _model():
    return statuses.current_model()


def _one(deal):
    """One deal with its letters, the process version it runs on and the caller's moves (lists leave them out)."""
    body = deal_dict(deal, statuses.model_of(deal), letters=letters.letters_of(deal))
    body["allowed_moves"] = card.allowed_moves(g.api_user, deal)
    if deal.workflow is not None:
        body["process_version"] = deal.workflow.definition.version
    return body


@bp.get("/deals")
def list_deals():
    filters = journal.parse_filters(query_lists())
    rows, total = journal.search_rows(filters)
    return jsonify({"deals": row_dicts(rows, _model()), "total": total,
                    "page": filters.page, "per_page": filters.per_page})


@bp.post("/deals")
def create_deal():
    data = json_body()
    status = data.pop("status", None)
    deal = deals.create_deal(data, g.api_user, status=status)
    db.session.commit()
    return jsonify(_one(deal)), 201


@bp.get("/deals/<int:number>")
def read_deal(number):
    deal = deals.get_deal(number)
    return jsonify(_one(deal))


@bp.get("/deals/<int:number>/letters/<int:letter_id>.eml")
def letter_eml(number, letter_id):
    letter = letters.get_letter(deals.get_deal(number), letter_id)
    return Response(letter.raw, mimetype="message/rfc822", headers={
        "Content-Disposition": f'attachment; filename="deal-{number}-letter-{letter.id}.eml"'})


@bp.route("/deals/<int:number>", methods=["PATCH", "PUT"])
def update_deal(number):
    data = json_body()
    version = optional_int(data, "version")
    data.pop("version", None)
    deal = deals.update_deal(deals.get_deal(number), data, g.api_user, expected_version=version)
    db.session.commit()
    return jsonify(_one(deal))


@bp.post("/deals/<int:number>/move")
def move_deal(number):
    data = json_body()
    deal = moves.move_deal(deals.get_deal(number), str(data.get("status") or ""), g.api_user,
                           comment=str(data.get("comment") or ""),
                           expected_version=optional_int(data, "version"), reason_id=data.get("reason_id"))
    body = _one(deal)  # read before the commit expires the deal: no reload of what was just written
    db.session.commit()
    return jsonify(body)


@bp.post("/deals/<int:number>/claim")
def claim_deal(number):
    deal = moves.claim_deal(deals.get_deal(number), g.api_user)
    db.session.commit()
    return jsonify(_one(deal))


@bp.get("/deals/<int:number>/history")
def deal_history(number):
    deal = deals.get_deal(number)
    return jsonify({"number": deal.number, "history": [history_dict(h) for h in deals.history(deal)]})
