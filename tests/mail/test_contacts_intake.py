"""A letter from a known contact's address joins that contact's counterparty, through a real dovecot."""
from email.message import EmailMessage

from sqlalchemy import event, select

from engine.db import db
from mail.handling import handle_group
from processes import contacts, deals, moves, users
from processes.models import Deal
from tests.mail.conftest import letter


def _company_with_deals(name, email, *owners_and_statuses):
    """A counterparty, its contact with ``email``, and deals (oldest first) of these (owner, status)."""
    manager = users.get_by_username("manager")
    company = contacts.create_counterparty(manager, name, confirm=True)
    contacts.create_contact(manager, {"name": f"Контакт {name}", "email": email, "counterparty_id": company.id},
                            confirm=True)
    for owner, status in owners_and_statuses:
        deals.create_deal({"name": f"Сделка {name}", "counterparty_id": company.id}, users.get_by_username(owner),
                          status=status)
    return company


def test_a_known_contacts_letter_joins_the_counterparty_and_the_manager_of_its_newest_open_deal(
        mail_app, account, dealflow, people):
    with mail_app.app_context():
        company = _company_with_deals("Ромашка", "ivan@romashka.ru", ("manager", "firstContact"),
                                      ("manager2", "presentation"), ("manager", "decision"))
        closed = deals.create_deal({"name": "Закрытая", "counterparty_id": company.id},
                                   users.get_by_username("director"), status="decision")
        moves.move_deal(closed, "completed", users.get_by_username("director"))  # newest, but not open
        db.session.commit()
        company_id = company.id
    known = EmailMessage()
    known["From"], known["To"] = "Иван <Ivan@Romashka.RU>", "crm@example.ru"
    known["Subject"], known["Message-ID"] = "Ещё заказ", "<known-1@romashka.ru>"
    known.set_content("Хотим ещё")
    account.append(known.as_bytes(), letter(1, sender="stranger@example.ru"))
    result = dealflow("mail", "poll", "--once")
    assert result.exit_code == 0 and result.output.count("created deal") == 2, result.output
    with mail_app.app_context():
        joined = db.session.scalar(select(Deal).where(Deal.name == "Ещё заказ"))
        assert joined.counterparty_id == company_id and joined.contact.email == "ivan@romashka.ru"
        assert joined.responsible.username == "manager"  # «decision»: the newest open deal; manager2's is older
        assert joined.status == "new"  # still waits in «Не обработана» to be taken
        stranger = db.session.scalar(select(Deal).where(Deal.sender_email == "stranger@example.ru"))
        assert (stranger.counterparty_id, stranger.contact_id, stranger.responsible_id) == (None, None, None)


def test_known_senders_cost_two_reads_for_the_whole_group_not_one_per_letter(app, people):
    with app.app_context():
        for n in range(10):
            _company_with_deals(f"Компания {n}", f"c{n}@example.ru", ("manager2", "firstContact"))
        db.session.commit()
    statements = []

    def count(_conn, _cursor, statement, *_rest):
        statements.append(statement)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            outcomes = handle_group([letter(n, sender=f"c{n}@example.ru") for n in range(10)], "test")
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        made = db.session.scalars(select(Deal).where(Deal.name.like("Заявка%"))).all()
        assert {d.responsible.username for d in made} == {"manager2"} and all(d.counterparty_id for d in made)
    assert [o.action for o in outcomes] == ["created"] * 10
    reads = [s for s in statements if s.lstrip().startswith("SELECT") and ("FROM contacts" in s or "row_number" in s)]
    assert len(reads) == 2, reads  # the contacts, then the managers of their counterparties' newest open deals
    per_letter = [s for s in statements if any(f"FROM {table} \nWHERE {table}.id =" in s
                                               for table in ("users", "counterparties", "contacts"))]
    assert per_letter == []  # the deal's references are checked in the session, not read again per letter
