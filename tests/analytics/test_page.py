"""The «Аналитика» page: its tables, the links into the journal, the exports, a manager's own figures."""
import csv
import io
import re

import pytest

MARCH = "from=2026-03-01&to=2026-03-31"


@pytest.fixture(params=["sqlite"])
def backend(request):
    return request.param


def table(html, name):
    """The rows of one table of the page as lists of cell texts."""
    body = html.split(f'data-table="{name}"', 1)[1].split("</table>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)]


def journal_companies(client, href):
    page = client.get(href.replace("&amp;", "&")).get_data(as_text=True)
    return "".join(sorted(re.findall(r"Deal ([A-F])", page)))


def test_the_director_sees_every_figure_as_a_table(as_user, seeded):
    html = as_user("director").get(f"/analytics/?{MARCH}").get_data(as_text=True)
    assert 'id="nav-analytics"' in html
    assert table(html, "funnel")[2][:2] == ["40% Развитие", "2"]
    assert [row[1] for row in table(html, "win-rate")] == ["2", "1"]  # won, refused
    assert table(html, "cycle-time") == [["2", "12.0", "16.8"]]
    assert [row[0] for row in table(html, "throughput")][:2] == ["2026-02-23", "2026-03-02"]
    assert 'data-chart="' in html and "<script>" not in html  # charts from data, no inline script


def test_each_number_opens_the_journal_on_exactly_the_deals_it_counts(as_user, seeded):
    client = as_user("director")
    html = client.get(f"/analytics/?{MARCH}").get_data(as_text=True)
    links = dict(re.findall(r'href="(/v2/journals\?[^"]*analytics=([^"&]+)[^"]*)"', html))
    by_cell = {cell.replace("%3A", ":").replace("%3E", ">"): href for href, cell in links.items()}
    assert journal_companies(client, by_cell["funnel:20"]) == "ABD"
    assert journal_companies(client, by_cell["win-rate:won"]) == "AC"
    assert journal_companies(client, by_cell["cycle-time:won"]) == "AC"
    assert journal_companies(client, by_cell["transitions:firstContact>completed"]) == "C"
    assert journal_companies(client, by_cell["time-in-status:new"]) == "ABD"


def test_a_manager_sees_their_own_deals_only(as_user, seeded):
    html = as_user("manager2").get(f"/analytics/?{MARCH}").get_data(as_text=True)
    assert 'id="own-deals"' in html
    assert table(html, "funnel")[0][1] == "1"  # E alone


def test_a_table_exports_as_csv_and_xlsx(as_user, seeded, app):
    from engine.db import db
    from processes.models import Source
    with app.app_context():
        db.session.get(Source, 1).name = "=HYPERLINK(1)"
        db.session.commit()
    client = as_user("director")
    answer = client.get(f"/analytics/win-rate-sources.csv?{MARCH}")
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert ["'=HYPERLINK(1)", "2", "1", "50.0"] in rows  # the formula guard of the journal's export
    sheet = client.get(f"/analytics/funnel.xlsx?{MARCH}")
    assert sheet.status_code == 200 and sheet.data[:2] == b"PK"


def test_a_bad_period_is_refused_with_a_message(as_user, seeded):
    answer = as_user("director").get("/analytics/?from=2026-04-01&to=2026-03-01")
    assert answer.status_code == 422
