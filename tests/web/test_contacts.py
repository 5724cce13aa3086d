"""Contacts in the web UI: the deal form's JSON dialogs (CSRF, lookalikes in words), the card, the directory,
the counterparty's card, and a deal form that shows every mistake at once."""
import re

from engine.db import db
from tests.web.helpers import make_deal


def test_a_manager_adds_a_counterparty_and_a_contact_as_json_and_is_warned_of_lookalikes(app, as_user):
    client = as_user("manager")
    made = client.post("/counterparties.json", json={"name": "ООО «Ромашка»", "inn": "7707083893"})
    assert made.status_code == 201 and made.json["name"] == "ООО «Ромашка»"
    bad = client.post("/counterparties.json", json={"name": "", "inn": "7707083894"})
    assert bad.status_code == 422
    assert bad.json["errors"] == {"name": "обязательное поле",
                                  "inn": "неверный ИНН (10 или 12 цифр с правильной контрольной суммой)"}
    same_inn = client.post("/counterparties.json", json={"name": "Другое", "inn": "7707083893", "confirm": True})
    assert same_inn.status_code == 409 and same_inn.json["can_confirm"] is False
    assert same_inn.json["duplicates"][0]["id"] == made.json["id"]
    similar = client.post("/counterparties.json", json={"name": "Ромашка АО"})
    assert similar.status_code == 409 and similar.json["message"] == "есть контрагент с похожим названием"
    person = client.post("/contacts.json", json={"name": "Иванов Иван", "email": "ivan@romashka.ru",
                                                 "phone": "+7 933 111-22-33", "counterparty_id": made.json["id"]})
    assert person.status_code == 201 and person.json["counterparty"] == "ООО «Ромашка»"
    again = client.post("/contacts.json", json={"name": "Другой человек", "email": "IVAN@romashka.ru"})
    assert again.status_code == 409 and again.json["duplicates"][0]["reason"] == "email"
    found = client.get(f"/contacts.json?q=иван&counterparty_id={made.json['id']}").json
    assert [row["id"] for row in found] == [person.json["id"]] and "Иванов Иван" in found[0]["label"]
    assert as_user("analyst").post("/contacts.json", json={"name": "Кто-то"}).status_code == 403


def test_the_dialogs_json_needs_the_csrf_token(csrf_app, staff):
    client = csrf_app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    assert client.post("/login", data={"username": "manager", "password": "secret123",
                                       "csrf_token": token}).status_code == 302
    refused = client.post("/contacts.json", json={"name": "Иванов"}, headers={"Accept": "application/json"})
    assert refused.status_code == 400
    page = client.get("/deals/new").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    assert client.post("/contacts.json", json={"name": "Иванов"}, headers={"X-CSRFToken": token}).status_code == 201


def test_the_deal_form_shows_every_mistake_at_once(app, as_user):
    response = as_user("manager").post("/deals/new", data={
        "company": "", "name": "", "counterparty_name": "Ромашк", "counterparty_id": "",
        "contact_search": "Иван", "contact_id": "", "sender_email": "не-почта", "budget": "-5"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for field in ("counterparty_id", "contact_id", "sender_email", "budget", "company"):
        assert f'data-field="{field}"' in page, field
    assert "Новый контрагент" in page and "Новый контакт" in page


def test_the_card_lists_the_deals_contacts_and_the_counterparty_card_what_gathers_there(app, as_user):
    from processes import contacts, deals, moves, users
    with app.app_context():
        manager = users.get_by_username("manager")
        company = contacts.create_counterparty(manager, "ООО «Ромашка»", inn="7707083893")
        ivan = contacts.create_contact(manager, {"name": "Иванов Иван", "position": "Директор",
                                                 "email": "ivan@romashka.ru", "counterparty_id": company.id})
        won = deals.create_deal({"name": "Поставка", "contact_id": ivan.id, "budget": "1500000"}, manager,
                                status="decision")
        moves.move_deal(won, "completed", users.get_by_username("director"))
        deals.create_deal({"name": "Вторая", "counterparty_id": company.id, "budget": "700"}, manager)
        db.session.commit()
        number, company_id = won.number, company.id
    client = as_user("manager")
    card = client.get(f"/deals/{number}").get_data(as_text=True)
    assert "Иванов Иван, Директор" in card and "основной" in card
    assert f'href="/counterparties/{company_id}" id="counterparty-link">ООО «Ромашка»' in card
    page = client.get(f"/counterparties/{company_id}").get_data(as_text=True)
    assert re.search(r'id="won-total">1\xa0500\xa0000,00\xa0₽<', page)  # the second deal is not won
    assert "Поставка" in page and "Вторая" in page and "ivan@romashka.ru" in page
    assert "Иванов Иван" in client.get("/contacts?q=иванов").get_data(as_text=True)
    assert client.get("/counterparties/99999").status_code == 404


def test_the_contact_pages_and_dialogs_in_english(app, as_user):
    from processes import contacts, users
    with app.app_context():
        manager = users.get_by_username("manager")
        company = contacts.create_counterparty(manager, "Acme Ltd")
        contacts.create_contact(manager, {"name": "John Smith", "position": "CEO", "counterparty_id": company.id})
        db.session.commit()
        company_id = company.id
    number = make_deal(app, name="Supply", counterparty_id=company_id)
    client = as_user("manager")
    client.get("/lang/en?next=/tasks")
    form = client.get("/deals/new").get_data(as_text=True)
    for text in ("Primary contact", "New counterparty", "New contact", "Position", "Add anyway", "Use this one"):
        assert text in form, text
    assert "Won" in client.get(f"/counterparties/{company_id}").get_data(as_text=True)
    assert ">Contacts<" in client.get("/contacts").get_data(as_text=True)
    assert "primary" not in client.get(f"/deals/{number}").get_data(as_text=True).split('field-contact_id')[1][:80]
    refused = client.post("/counterparties.json", json={"name": "Acme"})
    assert refused.status_code == 409 and refused.json["message"] == "a counterparty with a similar name exists"
    page_text = re.sub(r"<[^>]+>", " ", form)
    assert not re.search(r"Новый|Основной|Должность", page_text)


def test_the_card_adds_a_contact_to_the_deal(app, as_user):
    from processes import contacts, users
    with app.app_context():
        petr = contacts.create_contact(users.get_by_username("manager"), {"name": "Петров Пётр", "phone": "+7 900 1"})
        db.session.commit()
        petr_id = petr.id
    number = make_deal(app, name="Поставка")
    client = as_user("manager")
    assert 'id="add-contact"' in client.get(f"/deals/{number}").get_data(as_text=True)
    assert client.post(f"/deals/{number}/contacts", data={"contact_id": str(petr_id)}).status_code == 302
    card = client.get(f"/deals/{number}").get_data(as_text=True)
    assert "Петров Пётр" in card.split("field-contact_id")[1].split("</dd>")[0]
    other = as_user("manager2")
    assert 'id="add-contact"' not in other.get(f"/deals/{number}").get_data(as_text=True)
    assert other.post(f"/deals/{number}/contacts", data={"contact_id": str(petr_id)}).status_code == 403
    assert client.post(f"/deals/{number}/contacts", data={"contact_id": "999999"}).status_code == 404


def test_the_type_ahead_puts_the_deals_counterpartys_people_first(app, as_user):
    from processes import contacts, users
    with app.app_context():
        manager = users.get_by_username("manager")
        company = contacts.create_counterparty(manager, "ООО «Ромашка»")
        contacts.create_contact(manager, {"name": "Андреев Иван"}, confirm=True)
        contacts.create_contact(manager, {"name": "Яковлев Иван", "counterparty_id": company.id}, confirm=True)
        db.session.commit()
        company_id = company.id
    client = as_user("manager")
    names = [r["name"] for r in client.get(f"/contacts.json?counterparty_id={company_id}&q=иван").json]
    assert names == ["Яковлев Иван", "Андреев Иван"]
    assert [r["name"] for r in client.get("/contacts.json?q=иван").json] == ["Андреев Иван", "Яковлев Иван"]
