"""A director opens «Аналитика» in Chromium, changes the period, and the charts and tables follow."""
import json

import pytest

from tests.web.conftest import screenshot


@pytest.fixture(params=["sqlite"])
def backend(request):
    return request.param


def drawn(page, name):
    """The labels the chart of a table drew (written back by analytics.js)."""
    canvas = page.locator(f"#figure-{name} canvas")
    page.wait_for_function("(c) => c.dataset.drawn", arg=canvas.element_handle())
    return json.loads(canvas.get_attribute("data-drawn"))


def cells(page, name, column):
    return page.locator(f'table[data-table="{name}"] tbody tr td:nth-child({column})').all_inner_texts()


def test_the_director_changes_the_period_and_charts_and_tables_follow(browser_page, seeded):
    page = browser_page
    page.sign_in("director")
    page.click("#nav-analytics")
    page.wait_for_url("**/analytics/**")
    page.fill("#period-from", "2026-03-01")
    page.fill("#period-to", "2026-03-31")
    page.click("#apply-period")
    page.wait_for_url("**from=2026-03-01**")
    assert cells(page, "funnel", 2) == ["4", "3", "2", "1", "1"]
    assert drawn(page, "funnel") == cells(page, "funnel", 1)
    assert len(drawn(page, "throughput")) == 6  # six weeks touch March 2026
    screenshot(page, "analytics-march")

    page.fill("#period-from", "2026-03-09")
    page.fill("#period-to", "2026-03-15")
    page.click("#apply-period")
    page.wait_for_url("**from=2026-03-09**")
    assert cells(page, "funnel", 2) == ["2", "1", "0", "0", "0"]  # D and E were created that week
    assert drawn(page, "throughput") == ["2026-03-09"]
    assert cells(page, "throughput", 2) == ["2"]
    assert "to=2026-03-15" in page.url  # the period stays in the URL: a bookmark shows the same

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: chart and table one above the other
    chart = page.locator("#figure-funnel canvas").bounding_box()
    for _ in range(50):  # Chart.js follows its box on the next resize observation, not at once
        if chart["width"] <= 390:
            break
        page.wait_for_timeout(100)
        chart = page.locator("#figure-funnel canvas").bounding_box()
    rows = page.locator('table[data-table="funnel"]').bounding_box()
    assert chart["width"] <= 390 and rows["y"] >= chart["y"] + chart["height"]
