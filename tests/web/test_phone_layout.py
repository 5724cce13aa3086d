"""In Chromium at phone size (390x844, touch): no page is wider than the screen, the header's buttons can be tapped,
the deal card's sections stack instead of overlapping, dialogs open inside the screen; the tablet and desktop
layouts keep working."""
import pytest

from engine.db import db
from tests.web.conftest import screenshot
from tests.web.helpers import make_deal

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
DESKTOP = {"width": 1280, "height": 800}

LONG = "Поставка оборудования видеонаблюдения для складского комплекса «Северный» с монтажом и пусконаладкой"


def _seed(app):
    number = make_deal(app, company="ООО «Длинное наименование компании-контрагента Северо-Запад»", name=LONG,
                       budget="12500000", contact_name="Константинопольский Константин Константинович",
                       phone="+7 914 188-65-63", sender_email="konstantin.konstantinopolsky@example-company.ru",
                       description="Клиент просит коммерческое предложение и демонстрацию. " * 4)
    with app.app_context():
        from processes import deals, users
        from tasks import assignments
        assignment = assignments.create_assignment(
            deals.get_deal(number), {"title": "Подготовить коммерческое предложение по монтажу", "performer": "manager",
                                     "due_at": "2999-12-31", "description": "Цены на оборудование и монтаж. " * 6},
            users.get_by_username("manager"))
        db.session.commit()
        return number, assignment.id


def _sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "secret123")
    page.click("button[type=submit]")
    page.wait_for_url("**/v2/journals**")


def _fits(page, path, width=PHONE["width"]):
    """The page is no wider than the screen: nothing makes the whole page scroll sideways."""
    if path is not None:
        page.goto(page.base + path)
    page.wait_for_load_state("load")
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.body.scrollWidth]")
    assert max(sizes) <= width + 1, f"{page.url} is {sizes} px wide on a {width} px screen"


def _inside(box, viewport=PHONE):
    return (box and box["x"] >= -1 and box["y"] >= -1 and box["x"] + box["width"] <= viewport["width"] + 1
            and box["y"] + box["height"] <= viewport["height"] + 1)


def _tappable(page, selector):
    """Visible, inside the screen, and what a finger at its centre touches is the element itself."""
    element = page.locator(selector)
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    assert _inside(box), f"{selector} at {box}, outside the screen"
    hit = page.evaluate("([x, y, s]) => { const e = document.elementFromPoint(x, y); return !!(e && e.closest(s)); }",
                        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, selector])
    assert hit, f"{selector} is covered by another element"


def _overlap(a, b):
    return (a["x"] < b["x"] + b["width"] - 1 and b["x"] < a["x"] + a["width"] - 1
            and a["y"] < b["y"] + b["height"] - 1 and b["y"] < a["y"] + a["height"] - 1)


def _dialog_inside(page, opener, dialog):
    page.click(opener)
    page.wait_for_selector(f"{dialog}[open]")
    box = page.locator(dialog).bounding_box()
    assert _inside(box), f"{dialog} at {box}, not inside the {PHONE} screen"
    left, right = box["x"], PHONE["width"] - box["x"] - box["width"]
    assert abs(left - right) <= 2, f"{dialog} is off-centre: {left} px left, {right} px right"
    page.keyboard.press("Escape")
    page.wait_for_selector(f"{dialog}:not([open])", state="attached")


def test_pages_fit_a_phone_and_stay_usable(chromium, live_server, app):
    number, assignment_id = _seed(app)
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server
    try:
        _sign_in(page, live_server, "manager")

        # The journal: the page fits; the wide table scrolls sideways inside its own box.
        _fits(page, "/v2/journals?journalId=deals-journal")
        wrap = page.locator(".table-wrap")
        assert wrap.evaluate("e => e.scrollWidth > e.clientWidth"), "the journal table should scroll in its box"
        assert _inside(wrap.bounding_box(), {"width": PHONE["width"], "height": 10_000})
        # The header: «+ Сделка» can be tapped and opens the quick form inside the screen; logging out is in reach.
        _tappable(page, "#quick-create-button")
        _tappable(page, "form[action='/logout'] button")
        _dialog_inside(page, "#quick-create-button", "#quick-create")
        screenshot(page, "phone-journal")
        page.click("#choose-columns")
        assert _inside(page.locator(".chooser-menu").bounding_box(), {"width": PHONE["width"], "height": 10_000})
        page.click("#choose-columns")

        # Every menu item is reachable (the menu scrolls sideways rather than running off the page).
        page.click("#nav-assignments")
        page.wait_for_url("**/assignments")
        _fits(page, None)
        screenshot(page, "phone-assignments")

        # The kanban: columns scroll sideways inside the board, cards keep a readable width.
        _fits(page, "/v2/journals?journalId=deals-journal&viewMode=kanban")
        board = page.locator("#board")
        assert board.evaluate("e => e.scrollWidth > e.clientWidth")
        card = page.locator(f'.kcard[data-number="{number}"]')
        assert card.bounding_box()["width"] >= 150
        _tappable(page, f'.kcard[data-number="{number}"] .kcard-name')
        screenshot(page, "phone-kanban")
        page.tap(f'.kcard[data-number="{number}"] .kcard-name')
        page.wait_for_url(f"**/deals/{number}")

        # The deal card: its sections stack without overlapping, values read as lines, the dialog is on screen.
        _fits(page, None)
        boxes = page.locator("main > .card-grid > *, main > section.card").evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect(); "
            "return {x: r.x, y: r.y + scrollY, width: r.width, height: r.height}; })")
        assert len(boxes) >= 3
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not _overlap(a, b), f"deal card sections overlap: {a} {b}"
        for field in ("name", "company", "description"):
            value = page.locator(f"dd.field-{field}")
            assert value.bounding_box()["width"] >= 200, f"{field}: the value column is too narrow to read"
        _tappable(page, "#change-status")
        screenshot(page, "phone-card")
        _dialog_inside(page, "#change-status", "#status-dialog")

        for path in (f"/deals/{number}/edit", "/deals/new", "/tasks/group", f"/assignments/{assignment_id}",
                     f"/deals/{number}/assignments/new"):
            _fits(page, path)
        _fits(page, "/tasks")
        task = page.locator(f'#tasks tr[data-number="{number}"]').first.get_attribute("data-task")
        _fits(page, f"/tasks/{task}")
        screenshot(page, "phone-task")

        # The admin's pages, with the longest menu.
        _sign_in(page, live_server, "admin")
        page.click("#nav-smtp")
        page.wait_for_url("**/admin/smtp")
        _fits(page, None)
        for path in ("/admin/mail", "/directories/counterparties", "/directories/counterparties/new",
                     "/directories/sources", "/processes/", "/processes/deal/v1"):
            _fits(page, path)
        screenshot(page, "phone-admin")

        # A tablet: the admin's long menu fits too.
        page.set_viewport_size(TABLET)
        for path in ("/admin/mail", f"/deals/{number}"):
            _fits(page, path, TABLET["width"])
    finally:
        context.close()


def test_desktop_keeps_its_layout(browser_page, app):
    number, _ = _seed(app)
    page = browser_page
    page.set_viewport_size(DESKTOP)

    def header_items_inside():
        header = page.locator("header.topbar").bounding_box()
        items = page.locator("header.topbar .brand, header.topbar .nav a, header.topbar .topbar-right > *")
        boxes = items.evaluate_all("els => els.map(e => { const r = e.getBoundingClientRect(); "
                                   "return {x: r.x, y: r.y, width: r.width, height: r.height}; })")
        for i, box in enumerate(boxes):
            assert _inside(box, {"width": DESKTOP["width"], "height": header["y"] + header["height"]}), box
            for other in boxes[i + 1:]:
                assert not _overlap(box, other), (box, other)
        return header

    # A manager: one header row, History beside the deal's fields.
    page.sign_in("manager")
    _fits(page, f"/deals/{number}", DESKTOP["width"])
    assert header_items_inside()["height"] <= 60
    main, history = page.locator(".card-grid > *").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return {x: r.x, right: r.right, y: r.y}; })")
    assert history["x"] > main["right"] and abs(history["y"] - main["y"]) < 2, "History sits beside the fields"
    assert page.locator("#quick-create-button").bounding_box()["height"] <= 40, "«+ Сделка» stays one line"

    # The admin's longer menu: every item visible in the header, nothing squeezed or covered.
    page.click("form[action='/logout'] button")
    page.sign_in("admin")
    _fits(page, "/admin/mail", DESKTOP["width"])
    header_items_inside()
    assert page.locator("#quick-create-button").bounding_box()["height"] <= 40
