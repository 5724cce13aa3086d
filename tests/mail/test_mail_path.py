"""A deal a letter made shows its way from «Письмо получено»; a deal a person made, from «Сделка создана»."""
from flask_babel import refresh

from engine.db import db
from processes import deals
from tests.mail.conftest import EML
from tests.web.conftest import login


def test_the_card_diagram_starts_a_mail_deal_at_the_letter(dealflow, people, ctx, client):
    result = dealflow("mail", "import", EML / "utf8.eml")
    assert "created deal 1" in result.output, result.output
    typed = deals.create_deal({"company": "ООО «Руками»"}, people["manager"])
    db.session.commit()
    login(client, "manager")
    by_mail = client.get("/processes/deal/1/diagram.json").json
    assert "start_mail" in by_mail["visited"] and "start" not in by_mail["visited"]
    assert "Flow_start_mail_new" in by_mail["flows"]
    by_hand = client.get(f"/processes/deal/{typed.number}/diagram.json").json
    assert "start" in by_hand["visited"] and "start_mail" not in by_hand["visited"]


def test_the_history_reads_right_whoever_acted(dealflow, people, ctx, client):
    """No «система создал(а)»: the system is «Система», and what happened is said without a gendered verb."""
    dealflow("mail", "import", EML / "utf8.eml")
    login(client, "manager")
    from processes import moves
    moves.claim_deal(deals.get_deal(1), people["manager"])
    db.session.commit()
    history = client.get("/deals/1").get_data(as_text=True).split('id="history"', 1)[1].split("</ol>", 1)[0]
    assert "<strong>Система</strong>" in history and "сделка создана в статусе «Не обработана»" in history
    assert "сделка взята в работу" in history and "(а)" not in history
    client.get("/lang/en")
    refresh()  # this test's own app context (ctx) keeps the locale Flask-Babel read first
    english = client.get("/deals/1").get_data(as_text=True).split('id="history"', 1)[1].split("</ol>", 1)[0]
    assert "<strong>System</strong>" in english and "created the deal in" in english
