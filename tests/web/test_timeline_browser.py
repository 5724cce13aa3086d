"""In a real Chromium: a manager adds a note and an activity on the card, marks it done; the board marks the late."""
from datetime import timedelta

import pytest

from engine import clock
from engine.db import db
from processes import activities, deals, users
from tests.web.conftest import screenshot
from tests.web.helpers import make_deal

pytestmark = pytest.mark.browser


def test_a_manager_notes_plans_and_finishes_a_next_step_on_the_card(app, browser_page):
    number = make_deal(app, name="Пилот")
    page = browser_page
    page.sign_in("manager")
    page.goto(f"{page.base}/deals/{number}")
    assert page.is_visible("#no-next-step")

    page.fill("#note-form textarea[name=text]", "Клиент просил перезвонить после обеда")
    page.click("#note-save")
    page.wait_for_selector("#history .entry-note")
    assert "перезвонить после обеда" in page.inner_text("#history li:first-child")

    page.select_option("#activity-form select[name=kind]", "call")
    page.fill("#activity-form input[name=summary]", "Перезвонить клиенту")
    page.fill("#activity-form input[name=due_at]", (clock.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.click("#activity-save")
    page.wait_for_selector("#activities .activity")
    assert not page.is_visible("#no-next-step")
    assert "Звонок" in page.inner_text("#activities") and "Перезвонить клиенту" in page.inner_text("#activities")
    screenshot(page, "card-next-step")

    page.click("#activities .activity-actions summary")
    page.fill("#activities .activity-done textarea[name=outcome]", "Договорились о встрече")
    page.click("#activities .activity-done button[type=submit]")
    page.wait_for_selector("#no-next-step")
    assert page.locator("#activities .activity").count() == 0
    assert "Договорились о встрече" not in page.inner_text("#activities")
    assert "выполнил(а)" in page.inner_text("#history li:first-child")


def test_an_overdue_activity_is_red_on_the_kanban_card(app, browser_page):
    late, calm = make_deal(app, name="Просроченная"), make_deal(app, name="В срок")
    with app.app_context():
        manager = users.get_by_username("manager")
        for number, hours in ((late, -3), (calm, 30)):
            activities.plan(deals.get_deal(number), manager, {
                "kind": "call", "summary": "Звонок", "due_at": (clock.now() + timedelta(hours=hours)).isoformat() + "Z"})
        db.session.commit()
    page = browser_page
    page.sign_in("manager")
    page.goto(f"{page.base}/v2/journals?journalId=deals-journal&viewMode=kanban")
    page.wait_for_selector("#board")
    card = page.locator(f'.kcard[data-number="{late}"]')
    assert card.get_attribute("data-mark") == "overdue"
    assert card.locator(".kcard-mark-overdue").is_visible()
    color = card.evaluate("el => getComputedStyle(el).borderLeftColor")
    assert color == "rgb(208, 69, 58)"  # the theme's --bad red
    assert page.locator(f'.kcard[data-number="{calm}"]').get_attribute("data-mark") is None
    screenshot(page, "kanban-overdue")
