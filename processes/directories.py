"""Directories: counterparties (with INN/KPP checks) and sources of requests; what the pickers offer."""
import re
from collections import namedtuple
from dataclasses import dataclass
from functools import cache

from sqlalchemy import func, null, select, union_all

from engine.db import db, written_in
from processes import users
from processes.errors import NotFound, ValidationError
from processes.models import Counterparty, RefusalReason, Source, User

# The platform's default sources of a request, plus «Сайт» for website forms.
DEFAULT_SOURCES = ("Запрос демо", "Консультация", "Прайс", "Облако", "Сообщество", "E-mail",
                   "Телефон", "Сарафанное радио", "Другое", "Сайт")

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits, weights):
    return sum(d * w for d, w in zip(digits, weights)) % 11 % 10


def inn_is_valid(inn):
    """Check a Russian INN (10 digits for companies, 12 for persons) by its checksum."""
    if not re.fullmatch(r"\d{10}|\d{12}", inn or ""):
        return False
    digits = [int(c) for c in inn]
    if len(digits) == 10:
        return digits[9] == _check_digit(digits, _INN10_WEIGHTS)
    return (digits[10] == _check_digit(digits, _INN12_WEIGHTS_1)
            and digits[11] == _check_digit(digits, _INN12_WEIGHTS_2))


def counterparty_fields(name, inn, kpp, contacts):
    """A counterparty's fields checked (name required, INN by its checksum, KPP's shape), cleaned."""
    errors = {}
    name = (name or "").strip()
    inn = (inn or "").strip() or None
    kpp = (kpp or "").strip() or None
    if not name:
        errors["name"] = "required"
    if inn is not None and not inn_is_valid(inn):
        errors["inn"] = "not a valid INN (10 or 12 digits with a correct checksum)"
    if kpp is not None and not re.fullmatch(r"\d{4}[\dA-Z]{2}\d{3}", kpp):
        errors["kpp"] = "KPP is 9 characters: 4 digits, 2 digits or letters, 3 digits"
    if errors:
        raise ValidationError(errors)
    return name, inn, kpp, (contacts or "").strip()


def create_counterparty(name, inn=None, kpp=None, contacts=""):
    name, inn, kpp, contacts = counterparty_fields(name, inn, kpp, contacts)
    if inn and db.session.scalar(select(Counterparty.id).where(Counterparty.inn == inn)):
        raise ValidationError({"inn": "a counterparty with this INN exists"})
    row = Counterparty(name=name, inn=inn, kpp=kpp, contacts=contacts)
    db.session.add(row)
    db.session.flush()
    return row


def update_counterparty(counterparty_id, name, inn=None, kpp=None, contacts="", active=True):
    row = get_counterparty(counterparty_id)
    row.name, row.inn, row.kpp, row.contacts = counterparty_fields(name, inn, kpp, contacts)
    row.active = bool(active)
    db.session.flush()
    return row


def get_counterparty(counterparty_id):
    row = db.session.get(Counterparty, counterparty_id)
    if row is None:
        raise NotFound(f"no counterparty #{counterparty_id}")
    return row


def find_counterparties(text="", limit=20, include_inactive=False):
    """Counterparties whose name or INN contains text (type-ahead)."""
    query = select(Counterparty).order_by(Counterparty.name).limit(limit)
    if not include_inactive:
        query = query.where(Counterparty.active.is_(True))
    if text:
        like = f"%{text.lower()}%"
        query = query.where(func.lower(Counterparty.name).like(like) | Counterparty.inn.like(f"%{text}%"))
    return db.session.scalars(query).all()


def ensure_default_sources():
    """Add the default sources that are missing (idempotent)."""
    existing = set(db.session.scalars(select(Source.name)))
    for name in DEFAULT_SOURCES:
        if name not in existing:
            db.session.add(Source(name=name))
    db.session.flush()


def listed(model, include_inactive=False):
    """A directory's rows in the order they were added; only the active ones unless asked."""
    query = select(model).order_by(model.id)
    if not include_inactive:
        query = query.where(model.active.is_(True))
    return db.session.scalars(query).all()


def list_sources(include_inactive=False):
    return listed(Source, include_inactive)


Person = namedtuple("Person", "id display_name username")
Option = namedtuple("Option", "id name")


@dataclass(frozen=True)
class Choices:
    """What the pickers of deals offer: ``responsibles`` (``Person`` rows, by username), the active ``sources``
    and refusal ``reasons`` (``Option`` rows, in the order they were added)."""

    responsibles: list
    sources: list
    reasons: list


def choices():
    """The ``Choices`` of the filters, forms and move dialogs, in one statement: nearly every page shows some
    (the header's quick-create form, the filters), and reading each directory as entities cost a third of a
    millisecond of CPU apiece on every page."""
    found = {"responsible": [], "source": [], "reason": []}
    for kind, row_id, name, username in db.session.execute(_choices()):
        found[kind].append(Person(row_id, name, username) if kind == "responsible" else Option(row_id, name))
    return Choices(found["responsible"], found["source"], found["reason"])


@cache
def _choices():
    def kind(name):
        return written_in([name])[0].label("kind")
    people = select(kind("responsible"), User.id, User.display_name.label("name"), User.username.label("username")
                    ).where(users.may_be_responsible())
    sources = select(kind("source"), Source.id, Source.name, null()).where(Source.active.is_(True))
    reasons = select(kind("reason"), RefusalReason.id, RefusalReason.name, null()).where(RefusalReason.active.is_(True))
    every = union_all(people, sources, reasons)
    return every.order_by(*(every.selected_columns[key] for key in ("kind", "username", "id")))


def source_by_name(name):
    row = db.session.scalar(select(Source).where(func.lower(Source.name) == (name or "").lower()))
    if row is None:
        raise NotFound(f"no source '{name}'")
    return row


def _source_name(name, source_id=None):
    """A source's name, checked: required and unique (as the database's constraint wants)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "required"})
    if db.session.scalar(select(Source.id).where(Source.name == name, Source.id != (source_id or 0))):
        raise ValidationError({"name": "a source with this name exists"})
    return name


def create_source(name):
    row = Source(name=_source_name(name))
    db.session.add(row)
    db.session.flush()
    return row


def update_source(source_id, name, active=True):
    row = db.session.get(Source, source_id)
    if row is None:
        raise NotFound(f"no source #{source_id}")
    row.name = _source_name(name, source_id)
    row.active = bool(active)
    db.session.flush()
    return row
