"""A manager adds a counterparty and a contact from the deal form without leaving it, in a real Chromium."""
import re

import pytest
from playwright.sync_api import expect

from tests.web.conftest import screenshot

pytestmark = pytest.mark.browser


def test_a_manager_adds_a_counterparty_and_a_contact_inline_and_saves_the_deal(browser_page):
    page = browser_page
    page.sign_in("manager")
    page.goto(f"{page.base}/deals/new")
    page.fill("form.deal-form input[name=name]", "Поставка оборудования")

    # A new counterparty: a wrong INN is shown in the dialog, the right one adds it and fills the field.
    page.click("#new-counterparty-button")
    dialog = page.locator("#new-counterparty")
    dialog.locator("input[name=name]").fill("ООО «Ромашка»")
    dialog.locator("input[name=inn]").fill("7707083894")
    page.click("#new-counterparty-submit")
    expect(dialog.locator('[data-error="inn"]')).to_contain_text("контрольной суммой")
    dialog.locator("input[name=inn]").fill("7707083893")
    page.click("#new-counterparty-submit")
    expect(page.locator("#counterparty_id")).not_to_have_value("")
    assert not dialog.is_visible()
    assert page.input_value("input[name=counterparty_name]") == "ООО «Ромашка»"

    # A second one with a similar name is questioned: the existing one is offered and picked.
    page.click("#new-counterparty-button")
    dialog.locator("input[name=name]").fill("Ромашка АО")
    page.click("#new-counterparty-submit")
    warning = dialog.locator("[data-duplicates]")
    warning.wait_for(state="visible")
    assert "похожим названием" in warning.inner_text() and "ООО «Ромашка»" in warning.inner_text()
    screenshot(page, "contacts-duplicate-warning")
    warning.locator("[data-use]").first.click()
    assert not dialog.is_visible()

    # A new contact of that counterparty; it fills the deal's empty contact fields.
    page.click("#new-contact-button")
    person = page.locator("#new-contact")
    person.locator("input[name=name]").fill("Иванов Иван")
    person.locator("input[name=position]").fill("Директор")
    person.locator("input[name=phone]").fill("+7 933 111-22-33")
    person.locator("input[name=email]").fill("ivan@romashka.ru")
    page.click("#new-contact-submit")
    expect(page.locator("#contact_id")).not_to_have_value("")
    assert page.input_value("form.deal-form input[name=contact_name]") == "Иванов Иван"
    assert page.input_value("form.deal-form input[name=phone]") == "+7 933 111-22-33"

    page.click("#save-deal")
    page.wait_for_url(re.compile(r"/deals/\d+$"))
    assert "Иванов Иван, Директор" in page.inner_text(".field-contact_id")
    page.click("#counterparty-link")
    page.wait_for_url(re.compile(r"/counterparties/\d+$"))
    assert "Поставка оборудования" in page.inner_text("#counterparty-deals")
    assert "ivan@romashka.ru" in page.inner_text("#counterparty-contacts")
