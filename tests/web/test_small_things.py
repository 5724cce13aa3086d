"""Small things seen on the way: the favicon."""
import re


def test_every_page_has_a_favicon_and_browsers_asking_for_favicon_ico_get_it(app, as_user, client):
    page = as_user("manager").get("/deals/new").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page).group(1)
    response = client.get(icon)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml" and b"<svg" in response.data
    legacy = client.get("/favicon.ico")
    assert legacy.status_code == 301 and legacy.headers["Location"].endswith(icon)
    assert 'rel="icon"' in client.get("/login").get_data(as_text=True)


def test_the_xlsx_export_reads_as_the_journal_bold_header_widths_money_and_dates(app, as_user):
    import io
    from openpyxl import load_workbook
    from tests.web.helpers import make_deal
    make_deal(app, company="ООО «Ромашка»", budget="1500000.50", created_at="2026-11-20T10:15")
    client = as_user("manager")
    client.post("/v2/journals/columns", data={"columns": ["number", "company", "budget", "created_at", "status"],
                                              "back": "/v2/journals?journalId=deals-journal"})
    sheet = load_workbook(io.BytesIO(client.get("/v2/journals/export.xlsx").get_data())).active
    header, row = list(sheet.iter_rows(max_row=2))
    assert [c.value for c in header] == ["№", "Компания", "Бюджет", "Дата создания", "Статус"]
    assert all(c.font.bold for c in header) and not row[1].font.bold
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:E1"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDE"}
    assert widths["A"] < widths["C"] < widths["B"] and widths["D"] >= 16  # a number, money, a name, a date
    assert row[2].value == 1500000.5 and row[2].number_format == '#,##0.00 "₽"'
    assert row[3].is_date and row[3].number_format == "DD.MM.YYYY HH:MM"
