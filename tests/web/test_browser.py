"""The issue's browser walk-through in a real Chromium: manager, kanban drags, the director's decision."""
import re

import pytest

from tests.web.conftest import drag, screenshot

pytestmark = pytest.mark.browser


def _column(status):
    return f'.kcolumn[data-status="{status}"]'


def _board(page, query=""):
    page.goto(f"{page.base}/v2/journals?journalId=deals-journal&viewMode=kanban{query}")
    page.wait_for_selector("#board")


def _drag_card(page, number, status):
    drag(page, f'.kcard[data-number="{number}"]', f'{_column(status)} .kscroll')


def test_manager_creates_drags_and_director_decides(browser_page):
    page = browser_page
    page.sign_in("manager")

    # Quick-create from the header's modal.
    page.click("#quick-create-button")
    page.fill("#quick-company", "ООО «Браузер»")
    page.fill("#quick-create input[name=name]", "Пилот в браузере")
    page.fill("#quick-create input[name=budget]", "250000")
    page.click("#quick-create-submit")
    page.wait_for_url(re.compile(r"/deals/\d+$"))
    number = int(page.url.rsplit("/", 1)[1])
    assert page.inner_text("#deal-status") == "Не обработана"

    # Find it in the journal with a filter (in the URL, so the view can be shared).
    page.goto(f"{page.base}/deals")
    page.fill("#filters input[name=q]", "Браузер")
    page.click("#apply-filters")
    page.wait_for_url(re.compile(r"q=%D0%91"))
    rows = page.locator("#journal tbody tr[data-number]")
    assert rows.count() == 1 and rows.first.get_attribute("data-number") == str(number)
    screenshot(page, "journal")

    # Kanban: two allowed drags, each changing status and history.
    _board(page)
    _drag_card(page, number, "firstContact")
    page.wait_for_selector(f'{_column("firstContact")} .kcard[data-number="{number}"][data-status="firstContact"]')
    _drag_card(page, number, "identifyNeeds")
    page.wait_for_selector(f'{_column("identifyNeeds")} .kcard[data-number="{number}"][data-status="identifyNeeds"]')
    moved = page.locator(f'.kcard[data-number="{number}"]')
    assert moved.locator(".kcard-days").inner_text() == "0 дней" and moved.locator(".kcard-owner").inner_text() == "Manager"
    assert page.inner_text(f'{_column("identifyNeeds")} .kcount') == "1"

    # A drop the diagram forbids (only the director completes a deal) is refused and said so.
    _drag_card(page, number, "completed")
    page.wait_for_selector("#toast.toast-error:not([hidden])")
    assert "не допускает" in page.inner_text("#toast")
    assert page.locator(f'{_column("identifyNeeds")} .kcard[data-number="{number}"]').count() == 1
    assert page.locator(f'{_column("completed")} .kcard[data-number="{number}"]').count() == 0
    screenshot(page, "kanban")

    # Hand it to the director with a note: the manager has one task fewer, at once.
    tasks_before = int(page.inner_text("#my-task-count"))
    _drag_card(page, number, "decision")
    page.wait_for_selector("#move-dialog[open]")
    page.fill("#move-comment", "Клиент готов подписать")
    page.click("#move-ok")
    page.wait_for_selector(f'{_column("decision")} .kcard[data-number="{number}"][data-status="decision"]')
    assert int(page.inner_text("#my-task-count")) == tasks_before - 1

    page.goto(f"{page.base}/deals/{number}")
    history = page.inner_text("#history")
    for label in ("Первичный контакт", "Сбор потребностей", "Принятие решения", "Клиент готов подписать"):
        assert label in history
    assert page.inner_text("#deal-status") == "Принятие решения"
    assert "stage-current" in page.locator("#stages li", has_text="Подтверждение").get_attribute("class")
    screenshot(page, "card")

    # The director decides from the task list.
    page.click("form[action='/logout'] button")
    page.sign_in("director")
    page.goto(f"{page.base}/tasks/group")
    row = page.locator(f'#tasks tr[data-number="{number}"]')
    row.locator("button", has_text="Взять").click()
    page.wait_for_url("**/tasks")
    assert page.inner_text("#my-task-count") == "1"
    screenshot(page, "tasks")
    page.locator(f'#tasks tr[data-number="{number}"] a.task-link').click()
    page.check("#decision-form input[value=completed]")
    page.fill("#decision-form textarea[name=comment]", "Одобряю")
    page.click("#complete-task")
    page.wait_for_url("**/tasks")
    assert page.inner_text("#my-task-count") == "0"
    _board(page)
    assert page.locator(f'{_column("completed")} .kcard[data-number="{number}"]').count() == 1
    assert page.inner_text(f'{_column("completed")} .kcolumn-title') == "Завершена"


def test_drop_on_refusal_asks_for_the_reason(browser_page, app):
    page = browser_page
    page.sign_in("manager")
    page.goto(f"{page.base}/deals/new")
    page.fill(".deal-form input[name=company]", "ООО «Отказник»")
    page.click("#save-deal")
    page.wait_for_url(re.compile(r"/deals/\d+$"))
    number = int(page.url.rsplit("/", 1)[1])
    _board(page)

    _drag_card(page, number, "refusal")
    page.wait_for_selector("#move-dialog[open]")
    assert page.is_visible("#move-hint-required")
    page.click("#move-cancel")
    page.wait_for_selector(f'{_column("new")} .kcard[data-number="{number}"]')

    _drag_card(page, number, "refusal")
    page.wait_for_selector("#move-dialog[open]")
    page.click("#move-ok")  # empty reason: the browser keeps the dialog open
    assert page.is_visible("#move-dialog")
    page.fill("#move-comment", "Нет бюджета")
    page.click("#move-ok")
    page.wait_for_selector(f'{_column("refusal")} .kcard[data-number="{number}"][data-status="refusal"]')
    page.goto(f"{page.base}/deals/{number}")
    assert "Нет бюджета" in page.inner_text("#history")
    assert "stage-current" in page.locator("#stages li", has_text="Отказ").get_attribute("class")


def test_a_long_column_loads_more_cards_on_scroll(browser_page, app):
    from tests.web.helpers import make_deal, move
    numbers = [make_deal(app, company=f"ООО «Длинная {i}»") for i in range(60)]
    page = browser_page
    page.sign_in("manager")
    _board(page)
    cards = f'{_column("new")} .kcard'
    assert page.locator(cards).count() == 50
    for number in numbers[-2:]:  # two of the shown cards leave the column meanwhile
        move(app, number, "firstContact")
    page.locator(f'{_column("new")} .kmore').scroll_into_view_if_needed()
    # A function, not an expression: Playwright would eval an expression, which the page's policy refuses.
    page.wait_for_function(f"() => document.querySelectorAll('{cards}').length === 60")
    shown = [int(n) for n in page.eval_on_selector_all(cards, "cards => cards.map(c => c.dataset.number)")]
    assert sorted(shown) == sorted(numbers) and len(set(shown)) == 60
    assert page.locator(f'{_column("new")} .kmore').count() == 0


def test_a_form_is_sent_once_however_often_it_is_clicked(browser_page, app):
    from engine.db import db
    from processes.models import Deal

    page = browser_page
    page.sign_in("manager")
    held = []  # the POSTs, kept waiting as on a slow network
    page.route("**/deals/new", lambda route: held.append(route) if route.request.method == "POST"
               else route.continue_())
    page.click("#quick-create-button")
    page.fill("#quick-company", "ООО «Дважды»")
    page.evaluate("""async () => {  // impatient: a second click while the first is on its way
      const button = document.getElementById('quick-create-submit');
      button.click();
      await new Promise((resolve) => setTimeout(resolve, 150));
      button.click();
    }""")
    page.wait_for_timeout(300)
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_url(re.compile(r"/deals/\d+$"))
    with app.app_context():
        assert db.session.query(Deal).filter(Deal.company == "ООО «Дважды»").count() == 1
    page.go_back()  # back from the card: the form works again
    page.wait_for_function("() => !document.querySelector('#quick-create form[data-sending]')")


def test_two_tabs_editing_one_deal_merge_instead_of_overwriting(browser_page, app):
    from tests.web.helpers import make_deal
    number = make_deal(app, description="Старое описание")
    first = browser_page
    first.sign_in("manager")
    second = first.context.new_page()
    for page in (first, second):
        page.goto(f"{first.base}/deals/{number}/edit")
    first.fill(".deal-form textarea[name=description]", "Новое описание")
    first.click("#save-deal")
    first.wait_for_url(re.compile(rf"/deals/{number}$"))
    second.fill(".deal-form input[name=phone]", "+7 911 111-11-11")
    second.click("#save-deal")
    second.wait_for_selector("#form-conflict")
    assert second.input_value(".deal-form textarea[name=description]") == "Новое описание"  # the other tab's save stands
    assert second.input_value(".deal-form input[name=phone]") == "+7 911 111-11-11"  # this tab's change is kept
    second.click("#save-deal")
    second.wait_for_url(re.compile(rf"/deals/{number}$"))
    text = second.inner_text("main")
    assert "Новое описание" in text and "+7 911 111-11-11" in text
