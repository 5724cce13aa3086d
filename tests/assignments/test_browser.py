"""The issue's browser walk-through in a real Chromium: a manager gives an assignment from the deal card,
the performer finds it in «Мои задачи», takes it to work and finishes it; the card shows it done."""
import re

import pytest

from tests.web.conftest import browser_page, csrf_app, live_server, screenshot, staff  # noqa: F401
from tests.web.helpers import make_deal

pytestmark = pytest.mark.browser

ESTIMATE = "Смета на монтаж.txt"


def _row(page, title):
    return page.locator("#assignments tr[data-assignment]", has_text=title)


def test_manager_assigns_from_the_card_and_the_performer_finishes(browser_page, app):
    page = browser_page
    number = make_deal(app, name="Монтаж видеонаблюдения")

    # The manager: «Создать поручение» on the card, the form with a file, back on the card.
    page.sign_in("manager")
    page.goto(f"{page.base}/deals/{number}")
    page.get_by_role("link", name="Создать поручение").click()
    page.wait_for_url(f"**/deals/{number}/assignments/new")
    page.fill("#assignment-form input[name=title]", "Подготовить КП")
    page.fill("#assignment-form textarea[name=description]", "Цены на оборудование и монтаж")
    page.select_option("#assignment-form select[name=performer]", label="Manager2")
    page.fill("#assignment-form input[name=due_at]", "2999-12-31T18:00")
    page.select_option("#assignment-form select[name=priority]", "high")
    page.set_input_files("#assignment-files", files=[
        {"name": ESTIMATE, "mimeType": "text/plain", "buffer": "Камеры: 12 шт.\n".encode()}])
    screenshot(page, "assignment-form")
    page.click("#save-assignment")
    page.wait_for_url(re.compile(rf"/deals/{number}$"))
    row = _row(page, "Подготовить КП")
    assert row.locator(".assignment-status").inner_text() == "Новое"
    assert "Manager2" in row.inner_text() and "31.12.2999 18:00" in row.inner_text()  # as typed, local time
    screenshot(page, "assignment-card-new")

    # The performer: «Мои задачи» lists it; its page has the file and the verdict buttons.
    page.click("form[action='/logout'] button")
    page.sign_in("manager2")
    assert page.inner_text("#my-task-count") == "1"
    page.click("#nav-my-tasks")
    page.wait_for_url("**/tasks")
    task = page.locator("#tasks tr[data-task]", has_text="Подготовить КП")
    assert task.locator("a.task-link").inner_text() == "Новое"
    screenshot(page, "assignment-my-tasks")
    task.locator("a.task-link").click()
    page.wait_for_url(re.compile(r"/assignments/\d+$"))
    assert page.inner_text("#assignment-status") == "Новое"
    with page.expect_download() as download:
        page.click(f"#assignment-files a:has-text('{ESTIMATE}')")
    assert download.value.suggested_filename == ESTIMATE
    assert open(download.value.path(), encoding="utf-8").read() == "Камеры: 12 шт.\n"

    page.get_by_role("button", name="В работу").click()
    page.wait_for_selector("#assignment-status:has-text('В работе')")
    assert page.locator("[data-verdict=take]").count() == 0
    page.get_by_role("button", name="Выполнено").click()
    page.wait_for_selector("#assignment-status:has-text('Выполнено')")
    assert page.locator("#verdict-form").count() == 0
    history = page.inner_text(".history")
    assert "«В работу» → В работе" in history and "«Выполнено» → Выполнено" in history
    screenshot(page, "assignment-done")
    assert page.inner_text("#my-task-count") == "0"

    # The card shows it done; the journal behind «Поручения» finds it with the status filter.
    page.goto(f"{page.base}/deals/{number}")
    assert _row(page, "Подготовить КП").locator(".assignment-status").inner_text() == "Выполнено"
    screenshot(page, "assignment-card-done")
    page.click("#nav-assignments")
    page.wait_for_url("**/assignments")
    page.click("#scope-mine")
    page.select_option("#filter-status", "done")
    page.click("#apply-assignment-filters")
    page.wait_for_url(re.compile(r"status=done"))
    assert "scope=mine" in page.url
    rows = page.locator("#assignments-journal tr[data-assignment]")
    assert rows.count() == 1 and "Подготовить КП" in rows.first.inner_text()
    screenshot(page, "assignment-journal")


def test_admin_sets_up_outgoing_mail_from_the_header(browser_page):
    page = browser_page
    page.sign_in("admin")
    page.click("#nav-smtp")
    page.wait_for_url("**/admin/smtp")
    assert not page.is_checked("#smtp-enabled")  # off by default
    page.check("#smtp-enabled")
    page.fill("#smtp-settings input[name=host]", "smtp.example.test")
    page.fill("#smtp-settings input[name=port]", "587")
    page.select_option("#smtp-settings select[name=security]", "starttls")
    page.fill("#smtp-settings input[name=username]", "crm")
    page.fill("#smtp-password", "Pa55-word")
    page.fill("#smtp-settings input[name=sender]", "CRM <crm@example.test>")
    page.click("#smtp-save")
    page.wait_for_selector(".flash")
    assert page.is_checked("#smtp-enabled") and page.input_value("#smtp-password") == ""
    assert "Pa55-word" not in page.content()
    assert page.get_attribute("#smtp-password", "placeholder").startswith("сохранён")
    screenshot(page, "smtp-settings")
