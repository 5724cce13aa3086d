"""Contacts: the people of counterparties; a deal's primary contact and its others; lookalike warnings.

How a deal's own «Контакт» fields (``contact_name``, ``phone``, ``sender_email``, ``source_id``) map to
its primary contact (``deals.contact_id``): the fields stay on the deal as the spec and every face
(API, journal, CSV, mail intake) have them: they say what the request said. Picking a primary contact
fills those of the three that are empty from the contact (never overwriting what was typed), and the
counterparty from the contact's when none is picked. The source belongs to the request, not to the
person, so it stays the deal's alone. No contact is made behind anyone's back: a letter from an unknown
address leaves the directory alone; one from a known contact's address makes that contact the primary.
"""
import difflib
import re

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import contains_eager

from engine.db import db
from processes import directories
from processes.access import require_can_edit, require_role
from processes.contact_models import Contact, DealContact
from processes.errors import LikelyDuplicate, NotFound, ValidationError
from processes.fields import EMAIL, NUL, PHONE, lookup_id, parse_id
from processes.models import DEAL_ROLES, Counterparty, Deal, User

LIMITS = {"name": 300, "position": 200, "phone": 50, "email": 300}
SIMILAR = 0.85  # difflib ratio of two normalised names from which they are "likely the same"
LEGAL_FORMS = {"ооо", "оао", "зао", "пао", "ао", "ип", "нко", "ано", "гуп", "муп", "фгуп",
               "llc", "ltd", "inc", "gmbh", "corp", "co"}
CANDIDATES = 200  # rows read to compare names with


def normalised(name, drop_forms=True):
    """A name as compared: lower case, ё as е, no quotes or punctuation, no legal form, words sorted."""
    words = re.sub(r"[^\w]+", " ", (name or "").lower().replace("ё", "е")).split()
    if drop_forms:
        words = [w for w in words if w not in LEGAL_FORMS]
    return " ".join(sorted(words))


def _similar(a, b):
    a, b = normalised(a), normalised(b)
    return bool(a) and (a == b or difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR)


def _name_candidates(column, name):
    """Rows whose name contains a stem of the name's longest word (the app's lower() folds Cyrillic on SQLite too)."""
    words = sorted(normalised(name).split(), key=len, reverse=True)
    if not words:
        return None
    return func.lower(column).like(f"%{words[0][:6]}%")  # a stem: «Ромашка» finds «Ромашки»


# ---- counterparties ---------------------------------------------------------------------------------------

def _lookalikes(model, same, same_reason, name):
    """(row, reason) of ``model`` rows likely the one being added: those matching ``same`` (an exact key such
    as the INN or the e-mail; None: none given), then those with a similar name."""
    found = {}
    if same is not None:
        for row in db.session.scalars(select(model).where(same)):
            found[row.id] = (row, same_reason)
    where = _name_candidates(model.name, name)
    if where is not None:
        for row in db.session.scalars(select(model).where(where).limit(CANDIDATES)):
            if row.id not in found and _similar(row.name, name):
                found[row.id] = (row, "name")
    return list(found.values())


def counterparty_duplicates(name, inn=None):
    """Counterparties that are likely the one being added: the same INN, or a similar name."""
    found = _lookalikes(Counterparty, Counterparty.inn == inn if inn else None, "inn", name)
    return [counterparty_brief(row) | {"reason": reason} for row, reason in found]


def counterparty_brief(row):
    return {"id": row.id, "name": row.name, "inn": row.inn or ""}


def create_counterparty(user, name, inn=None, kpp=None, confirm=False):
    """A manager (or director, admin) adds a counterparty, from the deal form say.

    The INN is checked by its checksum; the same INN is refused (pick the existing one), a similar
    name is a LikelyDuplicate unless ``confirm``.
    """
    require_role(user, *DEAL_ROLES)
    name, inn, kpp, _ = directories.counterparty_fields(name, inn, kpp, "")
    duplicates = counterparty_duplicates(name, inn)
    same_inn = [d for d in duplicates if d["reason"] == "inn"]
    if same_inn:
        raise LikelyDuplicate("a counterparty with this INN exists", same_inn, can_confirm=False)
    if duplicates and not confirm:
        raise LikelyDuplicate("a counterparty with a similar name exists", duplicates)
    return directories.create_counterparty(name, inn, kpp)


# ---- contacts ---------------------------------------------------------------------------------------------

def contact_fields(data):
    """A contact's fields checked: name required, phone and e-mail well formed, counterparty existing."""
    errors, values = {}, {}
    for name, limit in LIMITS.items():
        raw = data.get(name)
        if isinstance(raw, (dict, list, bool)):
            errors[name] = "must be text"
            continue
        value = "" if raw is None else str(raw).strip()
        if len(value) > limit:
            errors[name] = f"at most {limit} characters"
        elif NUL in value:
            errors[name] = "must not contain NUL characters"
        values[name] = value
    values["email"] = values.get("email", "").lower()
    if not values.get("name") and "name" not in errors:
        errors["name"] = "required"
    if values.get("email") and not EMAIL.match(values["email"]):
        errors["email"] = "not an e-mail address"
    if values.get("phone") and not PHONE.match(values["phone"]):
        errors["phone"] = "a phone number: digits, spaces, + - ( )"
    values["counterparty_id"] = None
    if data.get("counterparty_id") not in (None, ""):
        try:
            values["counterparty_id"] = directories.get_counterparty(parse_id(data["counterparty_id"])).id
        except (ValueError, NotFound):
            errors["counterparty_id"] = "no such counterparty"
    if errors:
        raise ValidationError(errors)
    return values


def contact_duplicates(name, email=""):
    """Contacts that are likely the one being added: the same e-mail, or a similar name."""
    found = _lookalikes(Contact, Contact.email == email.lower() if email else None, "email", name)
    return [contact_dict(row) | {"reason": reason} for row, reason in found]


def create_contact(user, data, confirm=False):
    """Add a contact; one with the same e-mail or a similar name is a LikelyDuplicate unless ``confirm``."""
    require_role(user, *DEAL_ROLES)
    values = contact_fields(data)
    duplicates = contact_duplicates(values["name"], values["email"])
    if duplicates and not confirm:
        raise LikelyDuplicate("a contact with the same e-mail or a similar name exists", duplicates)
    row = Contact(**values)
    db.session.add(row)
    db.session.flush()
    return row


def get_contact(contact_id):
    number = lookup_id(contact_id)
    row = db.session.get(Contact, number) if number is not None else None
    if row is None:
        raise NotFound(f"no contact #{contact_id}")
    return row


def find_contacts(text="", counterparty_id=None, limit=20):
    """Contacts whose name, e-mail or phone contains text (type-ahead); those of a counterparty first."""
    query = select(Contact).order_by(Contact.name).limit(limit)
    if counterparty_id:
        query = query.order_by(None).order_by(case((Contact.counterparty_id == counterparty_id, 0), else_=1),
                                              Contact.name)
    text = (text or "").strip()
    if text:
        like = f"%{text.lower()}%"
        query = query.where(or_(func.lower(Contact.name).like(like), Contact.email.like(like),
                                Contact.phone.like(f"%{text}%")))
    return db.session.scalars(query).all()


def contact_dict(row):
    return {"id": row.id, "name": row.name, "position": row.position, "phone": row.phone, "email": row.email,
            "counterparty_id": row.counterparty_id,
            "counterparty": row.counterparty.name if row.counterparty else None}


# ---- a deal's contacts ------------------------------------------------------------------------------------

def fill_from_primary(values, deal=None):
    """Fill a deal's empty contact fields and counterparty from the primary contact ``values`` picks."""
    contact_id = values.get("contact_id")
    if contact_id is None or (deal is not None and deal.contact_id == contact_id):
        return values
    contact = db.session.get(Contact, contact_id)

    def empty(name):
        return not (values[name] if name in values else getattr(deal, name, None))

    for field, source in (("contact_name", contact.name), ("phone", contact.phone),
                          ("sender_email", contact.email), ("counterparty_id", contact.counterparty_id)):
        if source and empty(field):
            values[field] = source
    return values


def contacts_of(deal):
    """The deal's contacts: the primary one first, then the others by name."""
    others = db.session.scalars(select(Contact).join(DealContact, DealContact.contact_id == Contact.id)
                                .where(DealContact.deal_id == deal.id).order_by(Contact.name)).all()
    primary = [deal.contact] if deal.contact is not None else []
    return primary + [c for c in others if c.id != deal.contact_id]


def add_to_deal(deal, contact_id, user):
    """Add a contact to a deal (not as its primary one; that is the deal's ``contact_id`` field)."""
    require_can_edit(user, deal)
    contact = get_contact(contact_id)
    if contact.id != deal.contact_id and db.session.get(DealContact, (deal.id, contact.id)) is None:
        db.session.add(DealContact(deal_id=deal.id, contact_id=contact.id))
        db.session.flush()
    return contact


def known_senders(emails, open_statuses):
    """{e-mail: (contact, manager or None)} of the contacts with these addresses.

    One query finds the contacts (with their counterparties); only when some have a counterparty does a
    second find the managers: the responsible of each counterparty's newest deal in ``open_statuses()``
    (a callable, so unknown senders cost nothing more). Rows come back whole, so a deal made from them
    checks its references in the session without asking the database again. For the mail intake: a
    letter from a known contact joins that contact's counterparty.
    """
    emails = sorted({e.lower() for e in emails if e})
    if not emails:
        return {}
    found = {}
    for contact in db.session.scalars(
            select(Contact).outerjoin(Counterparty, Counterparty.id == Contact.counterparty_id)
            .options(contains_eager(Contact.counterparty))  # held by the contact: the session keeps it
            .where(Contact.email.in_(emails)).order_by(Contact.id)).all():
        found.setdefault(contact.email, contact)  # the oldest contact of an address
    companies = sorted({c.counterparty_id for c in found.values() if c.counterparty_id is not None})
    managers = {}
    if companies:
        newest = (select(Deal.counterparty_id, Deal.responsible_id,
                         func.row_number().over(partition_by=Deal.counterparty_id,
                                                order_by=Deal.number.desc()).label("rank"))
                  .where(Deal.counterparty_id.in_(companies), Deal.status.in_(sorted(open_statuses())),
                         Deal.responsible_id.is_not(None)).subquery())
        managers = dict(db.session.execute(select(newest.c.counterparty_id, User)
                                           .join(User, User.id == newest.c.responsible_id)
                                           .where(newest.c.rank == 1)).all())
    return {email: (contact, managers.get(contact.counterparty_id)) for email, contact in found.items()}
