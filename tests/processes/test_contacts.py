"""Contacts: who may add them, lookalike warnings, and how a deal's primary contact fills its contact fields."""
import pytest

from engine.db import db
from processes import contacts, deals, users
from processes.errors import Forbidden, LikelyDuplicate, ValidationError


@pytest.fixture
def people(ctx):
    manager, _ = users.create_user("mila", "manager", "secret123", "Мила")
    analyst, _ = users.create_user("ana", "analyst", "secret123")
    db.session.flush()
    return manager, analyst


def test_a_manager_adds_a_counterparty_with_a_checked_inn_and_is_warned_of_lookalikes(people):
    manager, analyst = people
    with pytest.raises(Forbidden):
        contacts.create_counterparty(analyst, "ООО «Ромашка»")
    with pytest.raises(ValidationError) as caught:
        contacts.create_counterparty(manager, "ООО «Ромашка»", inn="7707083894")
    assert "inn" in caught.value.errors
    first = contacts.create_counterparty(manager, "ООО «Ромашка»", inn="7707083893")
    with pytest.raises(LikelyDuplicate) as same_inn:
        contacts.create_counterparty(manager, "Совсем другое имя", inn="7707083893", confirm=True)
    assert not same_inn.value.can_confirm and same_inn.value.duplicates[0]["id"] == first.id
    with pytest.raises(LikelyDuplicate) as similar:
        contacts.create_counterparty(manager, "Ромашка, АО")
    assert similar.value.can_confirm
    assert [(d["id"], d["reason"]) for d in similar.value.duplicates] == [(first.id, "name")]
    assert contacts.create_counterparty(manager, "Ромашка, АО", confirm=True).id != first.id
    assert contacts.create_counterparty(manager, "Лютик").name == "Лютик"  # nothing alike: no question


def test_contacts_warn_on_the_same_email_or_a_similar_name(people):
    manager, _ = people
    company = contacts.create_counterparty(manager, "ООО «Ромашка»")
    ivan = contacts.create_contact(manager, {"name": "Иванов Иван", "position": "Директор", "phone": "+7 933 111-22-33",
                                             "email": "Ivan@Romashka.ru", "counterparty_id": company.id})
    assert ivan.email == "ivan@romashka.ru" and ivan.counterparty_id == company.id
    with pytest.raises(LikelyDuplicate) as same_mail:
        contacts.create_contact(manager, {"name": "И. Иванов", "email": "IVAN@romashka.ru"})
    assert same_mail.value.duplicates[0]["reason"] == "email"
    with pytest.raises(LikelyDuplicate) as similar:
        contacts.create_contact(manager, {"name": "Иван Иванов"})  # the words in another order
    assert similar.value.duplicates[0]["id"] == ivan.id
    with pytest.raises(ValidationError) as caught:
        contacts.create_contact(manager, {"name": "", "email": "no-at-sign", "phone": "call me"})
    assert set(caught.value.errors) == {"name", "email", "phone"}


def test_the_primary_contact_fills_the_deals_empty_contact_fields(people):
    manager, _ = people
    company = contacts.create_counterparty(manager, "ООО «Ромашка»")
    ivan = contacts.create_contact(manager, {"name": "Иванов Иван", "phone": "+7 933 111-22-33",
                                             "email": "ivan@romashka.ru", "counterparty_id": company.id})
    deal = deals.create_deal({"name": "Поставка", "contact_id": ivan.id, "phone": "+7 495 000-00-00"}, manager)
    assert (deal.contact_id, deal.contact_name, deal.phone, deal.sender_email, deal.counterparty_id) == \
        (ivan.id, "Иванов Иван", "+7 495 000-00-00", "ivan@romashka.ru", company.id)  # typed phone kept
    petr = contacts.create_contact(manager, {"name": "Петров Пётр", "email": "petr@romashka.ru"})
    contacts.add_to_deal(deal, petr.id, manager)
    assert [c.name for c in contacts.contacts_of(deal)] == ["Иванов Иван", "Петров Пётр"]
    with pytest.raises(ValidationError) as caught:
        deals.create_deal({"name": "X", "contact_id": 999999}, manager)
    assert "contact_id" in caught.value.errors
