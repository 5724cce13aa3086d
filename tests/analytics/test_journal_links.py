"""«Open in journal»: every figure's cell lists in the journal exactly the deals the figure counted."""
import pytest

from tests.conftest import bearer

MARCH = "from=2026-03-01&to=2026-03-31"
CELLS = [
    ("funnel:created", "ABDE"), ("funnel:0", "ABDE"), ("funnel:20", "ABD"), ("funnel:40", "AB"),
    ("funnel:60", "A"), ("funnel:100", "A"),
    ("win-rate:closed", "ABC"), ("win-rate:won", "AC"), ("win-rate:refused", "B"),
    ("cycle-time:won", "AC"),
    ("time-in-status:new", "ABD"), ("time-in-status:firstContact", "ABC"), ("time-in-status:decision", "A"),
    ("transitions:new>firstContact", "AD"), ("transitions:firstContact>completed", "C"),
    ("transitions:presentation>firstContact", "B"),
    ("throughput:created:2026-03-02", "AB"), ("throughput:won:2026-03-09", "C"),
    ("throughput:refused:2026-03-02", "B"),
]


def numbers(client, token, query):
    answer = client.get(f"/api/v1/deals?{query}&per_page=500", headers=bearer(token))
    assert answer.status_code == 200, answer.json
    return "".join(sorted(d["company"] for d in answer.json["deals"]))


@pytest.mark.parametrize("cell, expected", CELLS)
def test_a_cell_opens_exactly_its_deals(client, tokens, deals, cell, expected):
    assert numbers(client, tokens["director"], f"analytics={cell}&{MARCH}") == expected


def test_the_cells_match_the_figures_counts(client, tokens, deals, people):
    token = tokens["director"]
    figures = {f: client.get(f"/api/v1/analytics/{f}?{MARCH}", headers=bearer(token)).json
               for f in ("funnel", "win-rate", "cycle-time")}
    for stage in figures["funnel"]["stages"]:
        assert len(numbers(client, token, f"analytics=funnel:{stage['percent']}&{MARCH}")) == stage["reached"]
    for row in figures["win-rate"]["by_source"]:
        assert len(numbers(client, token, f"analytics=win-rate:source:{row['id']}&{MARCH}")) == row["closed"]
    reason = figures["win-rate"]["reasons"][0]
    assert numbers(client, token, f"analytics=win-rate:reason:{reason['id']}&{MARCH}") == "B"
    spring = "from=2026-03-01&to=2026-04-30"
    assert numbers(client, token, f"analytics=forecast:2026-04&{spring}") == "D"
    assert numbers(client, token, f"analytics=forecast:undated&{spring}") == "EF"
    # The link's filters narrow as the figure's do.
    assert numbers(client, token, f"analytics=funnel:0&{MARCH}&responsible={people['manager2'].id}") == "E"


def test_an_unknown_cell_is_422(client, tokens, deals):
    answer = client.get(f"/api/v1/deals?analytics=funnel:lots&{MARCH}", headers=bearer(tokens["director"]))
    assert answer.status_code == 422
    assert "analytics" in answer.json["errors"]
