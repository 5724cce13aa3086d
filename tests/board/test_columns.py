"""Kanban column headers: count, budget sum, weighted sum, and the status's soft WIP limit."""
import re

import pytest

from tests.board.helpers import deploy_with
from tests.web.helpers import make_deal

pytestmark = pytest.mark.usefixtures("staff")
BOARD = "/v2/journals?journalId=deals-journal&viewMode=kanban"


def _header(html, code):
    start = html.index(f'<section class="kcolumn" data-status="{code}"')
    return html[start:html.index("</header>", start)]


def test_headers_show_count_budget_and_weighted_sum(app, as_user):
    make_deal(app, status="presentation", budget="100000")  # «40% Развитие»
    make_deal(app, status="presentation", budget="50000.50")
    make_deal(app, status="pause", budget="70000")            # «Отказ/Пауза»: no percent, no weighted sum
    html = as_user("manager").get(BOARD).get_data(as_text=True)
    head = _header(html, "presentation")
    assert '<span class="kcount">2</span>' in head
    assert "150\u00a0000,50\u00a0₽" in head and 'data-percent="40"' in head and "60\u00a0000,20\u00a0₽" in head
    assert "kweighted" not in _header(html, "pause") and "70\u00a0000,00\u00a0₽" in _header(html, "pause")
    assert 'data-percent="0"' in _header(html, "new")  # «0% Обработка» weighs nothing, and says so


def test_header_shows_count_over_limit_and_turns_red_past_it(app, as_user):
    deploy_with(app, "firstContact", wipLimit="2")
    for _ in range(2):
        make_deal(app, status="firstContact")
    manager = as_user("manager")
    head = _header(manager.get(BOARD).get_data(as_text=True), "firstContact")
    assert re.search(r'kcount[^>]*>2</span><span class="kwip"[^>]*> / <span class="klimit">2</span>', head)
    assert "kcolumn-over" not in head
    make_deal(app, status="firstContact")
    html = manager.get(BOARD).get_data(as_text=True)
    assert "kcolumn-meta kcolumn-over" in _header(html, "firstContact")
    assert 'data-wip="2"' in html and 'data-wip=""' in html  # the others have no limit
    manager.get("/lang/en")
    assert "Work-in-progress limit" in manager.get(BOARD).get_data(as_text=True)
