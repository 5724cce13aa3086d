"""The board says why a card moves nowhere, and that a deal on an older version is migrated, not refused by flows."""
import html
import re

import pytest

from tests.analyst import diagrams
from tests.analyst.test_board_versions import BOARD, XML, create
from engine.db import db
from processes.deploy import deploy_source
from tests.web.conftest import drag, screenshot
from tests.web.helpers import make_deal


def card_attrs(page, number):
    found = re.search(rf'<article class="kcard" data-number="{number}"(.*?)>', page, re.S)
    assert found, f"no card of deal {number}"
    return {k: html.unescape(v) for k, v in re.findall(r'data-([\w-]+)="([^"]*)"', found.group(1))}


def test_a_card_that_moves_nowhere_says_why(as_user):
    mine = create(as_user("manager"), "ООО «Моя»", "firstContact")
    other = as_user("manager2")
    card = card_attrs(other.get(BOARD).get_data(as_text=True), mine)
    assert card["allowed"] == "" and card["why"] == f"№ {mine} нельзя перенести: она принадлежит другому менеджеру."
    assert "why" not in card_attrs(as_user("manager").get(BOARD).get_data(as_text=True), mine)
    analyst = card_attrs(as_user("analyst").get(BOARD).get_data(as_text=True), mine)
    assert analyst["why"].endswith("ваша роль не переводит сделки.")


def test_a_deal_on_an_old_version_dropped_on_a_new_status_is_told_to_be_migrated(as_user):
    manager = as_user("manager")
    old = create(manager, "ООО «Старая»", "offerPreparation")
    assert as_user("analyst").post("/processes/deploy", data=diagrams.camunda_tender(), headers=XML).status_code == 201
    new = create(manager, "ООО «Новая»", "offerPreparation")
    page = manager.get(BOARD).get_data(as_text=True)
    card = card_attrs(page, old)
    assert card["process-version"] == "1" and "tender" not in card["version-statuses"].split()
    assert "process-version" not in card_attrs(page, new)
    refused = manager.post(f"/deals/{old}/status", json={"status": "tender"}, headers={"Accept": "application/json"})
    assert refused.status_code == 422
    assert "runs on version 1 of the process" in refused.json["message"] and "migrates it to version 2" in \
        refused.json["message"]
    assert manager.post(f"/deals/{old}/status", json={"status": "nonsense"},
                        headers={"Accept": "application/json"}).json["message"] == "unknown status 'nonsense'"


@pytest.mark.browser
def test_dragging_what_one_may_not_move_says_why_in_the_browser(browser_page, app):
    page = browser_page
    mine = make_deal(app, "manager", "firstContact", company="ООО «Чужая»")
    old = make_deal(app, "manager2", "offerPreparation", company="ООО «Старая»")
    with app.app_context():
        deploy_source(diagrams.camunda_tender(), "analyst")
        db.session.commit()
    page.sign_in("manager2")
    page.goto(f"{page.base}{BOARD}")
    page.wait_for_selector("#board")
    drag(page, f'.kcard[data-number="{mine}"]', '.kcolumn[data-status="presentation"] .kscroll')
    toast = page.locator("#toast")
    toast.wait_for(state="visible")
    assert toast.inner_text() == f"№ {mine} нельзя перенести: она принадлежит другому менеджеру."
    assert page.evaluate("() => String(window.getSelection())") == ""  # no text selected on the way
    assert page.locator(f'.kcolumn[data-status="firstContact"] .kcard[data-number="{mine}"]').count() == 1

    drag(page, f'.kcard[data-number="{old}"]', '.kcolumn[data-status="tender"] .kscroll')
    page.wait_for_function("(n) => document.getElementById('toast').textContent.includes('№ ' + n + ' идёт')",
                           arg=str(old))
    text = toast.inner_text()
    assert "по версии 1 процесса" in text and "нет статуса «Тендер»" in text and "аналитик" in text, text
    screenshot(page, "board-migrate-refusal")
    assert page.locator(f'.kcolumn[data-status="offerPreparation"] .kcard[data-number="{old}"]').count() == 1
