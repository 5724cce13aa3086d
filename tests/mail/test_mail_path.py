"""A deal a letter made shows its way from «Письмо получено»; a deal a person made, from «Сделка создана»."""
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
