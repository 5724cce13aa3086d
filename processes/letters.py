"""A deal's correspondence: its letters as plain data and their raw .eml (``mail.parse`` reads attachments)."""
from sqlalchemy import select

from engine.db import db
from processes.errors import NotFound
from processes.fields import lookup_id, utc_text
from processes.mail_models import Letter

CHUNK = 500  # ids per IN (…): under every database's parameter limit


def letters_of(deal):
    """The letters of one deal, oldest first (the raw bytes stay unloaded)."""
    return db.session.scalars(select(Letter).where(Letter.deal_id == deal.id).order_by(Letter.id)).all()


def came_by_mail(deal):
    """Whether a letter made the deal (the mail intake's message start), rather than a person or a program."""
    return db.session.scalar(select(Letter.id).where(Letter.deal_id == deal.id, Letter.outcome == "deal")
                             .limit(1)) is not None


def letters_by_deal(deal_ids):
    """Letters of many deals in one query: {deal id: [letter, …]} (for exports)."""
    ids = list(deal_ids)
    result = {deal_id: [] for deal_id in ids}
    for start in range(0, len(ids), CHUNK):
        query = select(Letter).where(Letter.deal_id.in_(ids[start:start + CHUNK])).order_by(Letter.id)
        for row in db.session.scalars(query):
            result[row.deal_id].append(row)
    return result


def letter_dict(letter):
    return {"id": letter.id, "message_id": letter.message_id, "subject": letter.subject,
            "from": letter.from_email, "from_name": letter.from_name,
            "received_at": utc_text(letter.received_at),
            "kind": letter.outcome, "attachments": list(letter.attachments or []), "size": letter.size}


def get_letter(deal, letter_id):
    """One letter of a deal with its raw bytes, or NotFound."""
    row_id = lookup_id(letter_id)
    row = None if row_id is None else \
        db.session.scalar(select(Letter).where(Letter.id == row_id, Letter.deal_id == deal.id))
    if row is None:
        raise NotFound(f"deal {deal.number} has no letter #{letter_id}")
    return row
