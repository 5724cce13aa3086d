"""Contacts: the people of counterparties, and the deals they take part in."""
from engine.clock import utcnow
from engine.db import db


class Contact(db.Model):
    """A person: name, position, phone, e-mail (stored lower-case: the mail intake looks senders up by it)."""

    __tablename__ = "contacts"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(300), nullable=False, index=True)
    position = db.Column(db.String(200), nullable=False, default="")
    phone = db.Column(db.String(50), nullable=False, default="")
    email = db.Column(db.String(300), nullable=False, default="", index=True)
    counterparty_id = db.Column(db.Integer, db.ForeignKey("counterparties.id"), nullable=True, index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    counterparty = db.relationship("Counterparty")


class DealContact(db.Model):
    """A contact taking part in a deal besides its primary one (``deals.contact_id``)."""

    __tablename__ = "deal_contacts"

    deal_id = db.Column(db.Integer, db.ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True)
    contact_id = db.Column(db.Integer, db.ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True,
                           index=True)
