"""GET /api/v1/analytics/…: the figures of the hand-made histories over HTTP, a manager narrowed to their deals."""
import pytest

from tests.conftest import bearer

MARCH = "from=2026-03-01&to=2026-03-31"


@pytest.fixture
def api(client, tokens, deals):
    def get(path, who="director"):
        return client.get(f"/api/v1/analytics/{path}", headers=bearer(tokens[who]))
    return get


def test_funnel_and_win_rate_answer_the_issue_shapes(api):
    funnel = api(f"funnel?{MARCH}")
    assert funnel.status_code == 200
    assert funnel.json["stages"][1] == {"stage": "20% Квалификация", "label": "20% Квалификация", "percent": 20,
                                        "reached": 3, "share_of_first": 0.75, "share_of_previous": 0.75}
    rate = api(f"win-rate?{MARCH}").json
    assert (rate["closed"], rate["won"], rate["rate"], rate["from"], rate["to"]) == \
        (3, 2, 0.6667, "2026-03-01", "2026-03-31")


@pytest.mark.parametrize("figure", ["cycle-time", "time-in-status", "forecast", "throughput", "transitions"])
def test_every_figure_answers(api, figure):
    assert api(f"{figure}?{MARCH}").status_code == 200


def test_a_manager_gets_their_own_deals_whatever_they_ask(api, people):
    mine = api(f"funnel?{MARCH}&responsible={people['manager'].id}", who="manager2").json
    assert mine["created"] == 1  # E alone


def test_a_bad_period_is_422(api):
    answer = api("funnel?from=2026-04-01&to=2026-03-01")
    assert answer.status_code == 422
    assert "from" in answer.json["errors"]


def test_the_figures_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for figure in ("funnel", "win-rate", "cycle-time", "time-in-status", "forecast", "throughput", "transitions"):
        assert "from" in [p["name"] for p in paths[f"/analytics/{figure}"]["get"]["parameters"]]
