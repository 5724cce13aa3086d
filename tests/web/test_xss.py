"""Fields holding markup render as text everywhere: journal, card, kanban, exports."""
import io

from openpyxl import load_workbook

from tests.web.helpers import make_deal

SCRIPT = "<script>alert('x')</script>"
IMG = '"><img src=x onerror=alert(1)>'
FORMULA = "=HYPERLINK(\"http://evil.example\",\"click\")"


def test_markup_in_fields_is_text(app, as_user):
    number = make_deal(app, name=SCRIPT, company=IMG, description=SCRIPT + IMG, contact_name=IMG,
                       mail_message=SCRIPT, budget="10")
    client = as_user("manager")
    pages = ["/v2/journals?journalId=deals-journal", "/v2/journals?journalId=deals-journal&viewMode=kanban",
             f"/deals/{number}", f"/deals/{number}/edit", "/v2/journals/kanban/column?column=new",
             "/v2/journals?journalId=deals-journal&q=" + IMG]
    client.post("/v2/journals/columns", data={"columns": ["name", "company", "description", "contact_name",
                                                          "mail_message", "status"]})
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;" in html or "&lt;img" in html, url


def test_exports_are_downloads_and_never_formulas(app, as_user):
    make_deal(app, name=FORMULA, company=SCRIPT)
    client = as_user("manager")
    response = client.get("/v2/journals/export.csv?journalId=deals-journal")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    text = response.get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in text and SCRIPT in text
    response = client.get("/v2/journals/export.xlsx?journalId=deals-journal")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    name = rows[0].index("Имя")
    assert rows[1][name] == FORMULA  # kept as typed, in a text cell
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
