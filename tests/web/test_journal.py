"""The journal: filters in the URL, search, sort, pages, the column chooser, exports."""
import io
from datetime import datetime
import re

from openpyxl import load_workbook

from tests.web.helpers import make_deal, move

JOURNAL = "/v2/journals?journalId=deals-journal"


def _numbers(html):
    return [int(n) for n in re.findall(r'<tr data-number="(\d+)"', html)]


def _seed(app):
    with app.app_context():
        from processes import directories
        site = directories.source_by_name("Сайт").id
    a = make_deal(app, company="ООО «Альфа»", budget="100000", source_id=site)
    b = make_deal(app, owner="manager2", company="ООО «Бета»", budget="500000", contact_name="Пётр Иванов")
    c = make_deal(app, company="ООО «Гамма»", budget="900000")
    move(app, c, "firstContact")
    return a, b, c, site


def test_filters_search_and_sort(app, as_user):
    a, b, c, site = _seed(app)
    client = as_user("manager")
    assert _numbers(client.get(JOURNAL).get_data(as_text=True)) == [c, b, a]
    assert _numbers(client.get(JOURNAL + "&status=firstContact").get_data(as_text=True)) == [c]
    assert _numbers(client.get(JOURNAL + f"&source={site}").get_data(as_text=True)) == [a]
    assert _numbers(client.get(JOURNAL + "&budget_min=200000&budget_max=600000").get_data(as_text=True)) == [b]
    assert _numbers(client.get(JOURNAL + "&q=пётр").get_data(as_text=True)) == [b]
    with app.app_context():
        from processes import users
        other = users.get_by_username("manager2").id
    assert _numbers(client.get(JOURNAL + f"&responsible={other}").get_data(as_text=True)) == [b]
    assert _numbers(client.get(JOURNAL + "&sort=budget").get_data(as_text=True)) == [a, b, c]
    assert _numbers(client.get(JOURNAL + "&sort=-company").get_data(as_text=True)) == [c, b, a]
    assert _numbers(client.get(JOURNAL + "&created_from=2000-01-01&created_to=2000-01-02").get_data(as_text=True)) == []
    refused = client.get(JOURNAL + "&budget_min=много&status=firstContact")
    assert refused.status_code == 422  # the bad filter is named in the filter bar, the others still apply
    page = refused.get_data(as_text=True)
    assert re.search(r'id="filter-errors">.*<li>Бюджет от: бюджет должен быть числом</li>', page, re.S)
    export = re.search(r'id="export-csv" href="([^"]+)"', page).group(1)
    assert _numbers(page) == [c] and "status=firstContact" in export and "budget_min" not in export
    board = client.get(JOURNAL + "&viewMode=kanban&created_from=вчера")
    assert board.status_code == 422 and "<li>Создана с:" in board.get_data(as_text=True)
    assert client.get("/v2/journals?journalId=unknown").status_code == 404


def test_deals_alias_keeps_the_filters(as_user):
    response = as_user("manager").get("/deals?status=new&q=x")
    assert response.status_code == 302
    assert "journalId=deals-journal" in response.headers["Location"] and "status=new" in response.headers["Location"]


def test_pages(app, as_user):
    for i in range(7):
        make_deal(app, company=f"Компания {i}")
    client = as_user("manager")
    first = client.get(JOURNAL + "&per_page=5").get_data(as_text=True)
    second = client.get(JOURNAL + "&per_page=5&page=2").get_data(as_text=True)
    assert _numbers(first) == [7, 6, 5, 4, 3] and _numbers(second) == [2, 1]
    assert "Страница 1 из 2" in first and 'id="next-page"' in first


def test_column_chooser_is_remembered_per_user(app, as_user):
    make_deal(app, phone="+7 900 111-22-33")
    manager, other = as_user("manager"), as_user("manager2")
    assert 'data-column="phone"' not in manager.get(JOURNAL).get_data(as_text=True)
    manager.post("/v2/journals/columns", data={"columns": ["number", "phone", "bogus"], "back": JOURNAL})
    html = manager.get(JOURNAL).get_data(as_text=True)
    assert re.findall(r'data-column="(\w+)"', html) == ["number", "phone"] and "+7 900 111-22-33" in html
    assert 'data-column="phone"' in as_user("manager").get(JOURNAL).get_data(as_text=True)
    assert 'data-column="phone"' not in other.get(JOURNAL).get_data(as_text=True)


def test_the_named_columns_show_the_names_people_read(app, as_user):
    """Counterparty, responsible (the full name) and source, read with the page's rows; empty without one."""
    with app.app_context():
        from engine.db import db
        from processes import directories
        firm = directories.create_counterparty("ООО «Вектор»", inn="7707083893").id
        site = directories.source_by_name("Сайт").id
        db.session.commit()
    named = make_deal(app, counterparty_id=firm, source_id=site, contact_name="Анна")
    bare = make_deal(app, owner="manager2", contact_name="Борис")
    client = as_user("manager")
    client.post("/v2/journals/columns", data={"columns": ["number", "counterparty", "responsible", "source"],
                                              "back": JOURNAL})
    html = client.get(JOURNAL + "&sort=number").get_data(as_text=True)
    cells = dict(re.findall(r'<tr data-number="(\d+)"[^>]*>(.*?)</tr>', html, re.S))
    texts = {number: dict(re.findall(r'<td class="col-(counterparty|responsible|source)">(.*?)</td>', row))
             for number, row in cells.items()}
    assert texts[str(named)] == {"counterparty": "ООО «Вектор»", "responsible": "Manager", "source": "Сайт"}
    assert texts[str(bare)] == {"counterparty": "", "responsible": "Manager2", "source": ""}
    by_name = client.get(JOURNAL + "&sort=-responsible").get_data(as_text=True)
    assert _numbers(by_name) == [bare, named]
    # A page reads only the columns it shows; sorting and searching still reach the names it hides.
    with app.app_context():
        firm = directories.create_counterparty("АО «Альфа»", inn="7728168971").id
        phone = directories.source_by_name("Телефон").id
        db.session.commit()
    other = make_deal(app, counterparty_id=firm, source_id=phone)
    client.post("/v2/journals/columns", data={"columns": ["number"], "back": JOURNAL})
    assert _numbers(client.get(JOURNAL + "&sort=-responsible").get_data(as_text=True))[0] == bare
    for sort, first in (("source", named), ("-source", other), ("counterparty", other), ("-counterparty", named)):
        both = [n for n in _numbers(client.get(JOURNAL + f"&sort={sort}").get_data(as_text=True)) if n != bare]
        assert both == [first, other if first == named else named], sort
    page = client.get(JOURNAL + "&q=вектор").get_data(as_text=True)
    assert _numbers(page) == [named] and "ООО «Вектор»" not in page


def test_exports_follow_the_filters(app, as_user):
    a, b, c, _ = _seed(app)
    client = as_user("manager")
    csv_text = client.get("/v2/journals/export.csv?status=firstContact").get_data().decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("number,name,company") and len(lines) == 2 and "Гамма" in lines[1]
    book = load_workbook(io.BytesIO(client.get("/v2/journals/export.xlsx?sort=budget").get_data()))
    rows = list(book.active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [a, b, c]
    filtered = load_workbook(io.BytesIO(client.get("/v2/journals/export.xlsx?budget_min=200000").get_data()))
    rows = list(filtered.active.iter_rows(values_only=True))
    assert sorted(r[0] for r in rows[1:]) == sorted([b, c])
    assert client.get("/v2/journals/export.pdf").status_code == 404


def test_xlsx_is_the_journal_as_people_read_it(app, as_user):
    """The chosen columns under their headers, phones kept as typed, budgets numbers, local times, labels."""
    number = make_deal(app, company="ООО «Телефон»", phone="+7 900 123-45-67", budget="1500000.50",
                       created_at="2026-11-20T10:15")
    client = as_user("manager")
    client.post("/v2/journals/columns", data={"columns": ["number", "phone", "budget", "created_at", "status",
                                                          "responsible"], "back": JOURNAL})
    sheet = load_workbook(io.BytesIO(client.get("/v2/journals/export.xlsx").get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("№", "Бюджет", "Телефон", "Ответственный", "Дата создания", "Статус")  # the journal's order
    (row,) = [r for r in rows[1:] if r[0] == number]
    assert row[1:] == (1500000.5, "+7 900 123-45-67", "Manager", datetime(2026, 11, 20, 10, 15), "Не обработана")
    csv_text = client.get("/v2/journals/export.csv").get_data().decode("utf-8-sig")
    assert csv_text.startswith("number,name,company")  # CSV stays every field under its code, for programs


def test_status_sorts_in_the_diagrams_order_and_responsible_by_the_shown_name(app, as_user):
    """By code «completed» < «new» < «refusal»; the diagram puts «Не обработана» first and «Отказ» last."""
    refused = make_deal(app, company="Отказная")
    move(app, refused, "refusal", comment="Нет бюджета")
    fresh = make_deal(app, company="Новая")
    contacted = make_deal(app, company="Контакт")
    move(app, contacted, "firstContact")
    with app.app_context():
        from engine.db import db
        from processes import statuses, users
        order = [s.code for s in statuses.current_model().statuses]
        users.get_by_username("manager2").full_name = "Anna Smirnova"  # login after «manager», name before
        db.session.commit()
    assert order.index("new") < order.index("firstContact") < order.index("refusal")
    client = as_user("manager")
    assert _numbers(client.get(JOURNAL + "&sort=status").get_data(as_text=True)) == [fresh, contacted, refused]
    assert _numbers(client.get(JOURNAL + "&sort=-status").get_data(as_text=True)) == [refused, contacted, fresh]
    theirs = make_deal(app, owner="manager2", company="Чужая")
    by_name = _numbers(client.get(JOURNAL + "&sort=responsible").get_data(as_text=True))
    assert by_name[0] == theirs  # «Anna Smirnova» before «Manager»


def test_archived_deals_show_when_the_archive_box_is_ticked(app, as_user):
    archived = make_deal(app, company="ООО «Архив»", status="old")
    live = make_deal(app, company="ООО «Живая»")
    client = as_user("manager")
    page = client.get(JOURNAL).get_data(as_text=True)
    assert _numbers(page) == [live] and 'id="filter-archive" >' in page
    ticked = client.get(JOURNAL + "&archive=1").get_data(as_text=True)
    assert _numbers(ticked) == [live, archived] and 'id="filter-archive" checked>' in ticked


def test_a_page_past_the_end_leads_to_the_last_page(app, as_user):
    for i in range(3):
        make_deal(app, company=f"ООО «{i}»")
    response = as_user("manager").get(JOURNAL + "&per_page=2&page=999&q=ООО")
    assert response.status_code == 302
    assert "page=2" in response.headers["Location"] and "q=" in response.headers["Location"]


def test_the_responsible_filter_offers_the_active_people_who_run_deals(app, as_user):
    """Managers, directors and admins who are active, by login; not the analyst, not a deactivated manager."""
    with app.app_context():
        from engine.db import db
        from processes import users
        users.get_by_username("manager2").active = False
        db.session.commit()
    html = as_user("manager").get(JOURNAL).get_data(as_text=True)
    offered = re.search(r'<select name="responsible"[^>]*>(.*?)</select>', html, re.S).group(1)
    names = re.findall(r'<option value="\d+" >([^<]+)</option>', offered)
    with app.app_context():
        from processes import users
        expected = [u.display_name for u in users.list_users() if u.role != "analyst" and u.username != "manager2"]
    assert names == expected and "Manager2" not in names and len(names) >= 3
