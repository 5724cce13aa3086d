"""Contacts and counterparties: search, add (a likely duplicate is a 409 unless ``confirm``), a deal's contacts,
a counterparty's card."""
from flask import g, jsonify, request

from engine.db import db
from processes import contacts, deals
from processes.counterparty_card import load as counterparty_card_of
from processes.fields import lookup_id, utc_text
from web.api import bp
from web.api.util import json_body


@bp.get("/contacts")
def list_contacts():
    rows = contacts.find_contacts(request.args.get("q", ""), lookup_id(request.args.get("counterparty_id")), 100)
    return jsonify({"contacts": [contacts.contact_dict(row) for row in rows]})


@bp.post("/contacts")
def create_contact():
    data = json_body()
    row = contacts.create_contact(g.api_user, data, confirm=data.get("confirm") is True)
    db.session.commit()
    return jsonify(contacts.contact_dict(row)), 201


@bp.post("/counterparties")
def create_counterparty():
    data = json_body()
    text = {name: data.get(name) if isinstance(data.get(name), str) else None for name in ("name", "inn", "kpp")}
    row = contacts.create_counterparty(g.api_user, **text, confirm=data.get("confirm") is True)
    db.session.commit()
    return jsonify(contacts.counterparty_brief(row)), 201


@bp.get("/counterparties/<int:counterparty_id>")
def read_counterparty(counterparty_id):
    card = counterparty_card_of(counterparty_id, g.api_user)
    return jsonify({**contacts.counterparty_brief(card.counterparty), "kpp": card.counterparty.kpp or "",
                    "won_total": str(card.won_total), "won_count": card.won_count, "deal_count": card.deal_count,
                    "deals": [{"number": d.number, "name": d.name, "status": d.status,
                               "budget": str(d.budget) if d.budget is not None else None} for d in card.deals],
                    "contacts": [contacts.contact_dict(c) for c in card.contacts],
                    "letters": [{"id": letter.id, "deal_number": number, "subject": letter.subject,
                                 "from": letter.from_email, "received_at": utc_text(letter.received_at)}
                                for letter, number in card.letters]})


@bp.get("/deals/<int:number>/contacts")
def deal_contacts(number):
    deal = deals.get_deal(number)
    return jsonify({"number": deal.number, "primary_id": deal.contact_id,
                    "contacts": [contacts.contact_dict(c) for c in contacts.contacts_of(deal)]})


@bp.post("/deals/<int:number>/contacts")
def add_deal_contact(number):
    deal = deals.get_deal(number)
    contacts.add_to_deal(deal, json_body().get("contact_id"), g.api_user)
    db.session.commit()
    return deal_contacts(number)
