"""Each figure on the hand-made histories of tests/analytics/histories.py: exact known answers."""
import pytest

from processes import analytics
from processes.errors import Forbidden, ValidationError
from tests.analytics.histories import DAY

MARCH = {"from": ["2026-03-01"], "to": ["2026-03-31"]}


def scope(people, who="director", **extra):
    return analytics.parse_scope({**MARCH, **{k: [str(v)] for k, v in extra.items()}}, people[who])


def test_funnel_counts_deals_created_in_the_period_by_the_furthest_stage_they_reached(deals, people):
    result = analytics.funnel(scope(people))
    assert result["created"] == 4  # A, B, D, E: C before and F after the period are out
    assert [(s["stage"], s["reached"], s["share_of_first"], s["share_of_previous"]) for s in result["stages"]] == [
        ("0% Обработка", 4, 1.0, None),
        ("20% Квалификация", 3, 0.75, 0.75),   # B skipped it on the way to 40% and still reached it
        ("40% Развитие", 2, 0.5, 0.6667),
        ("60% Подтверждение", 1, 0.25, 0.5),
        ("100% Победа", 1, 0.25, 1.0),
    ]


def test_win_rate_of_the_deals_closed_in_the_period_by_manager_source_and_reason(deals, people):
    result = analytics.win_rate(scope(people))
    assert (result["closed"], result["won"], result["refused"], result["rate"]) == (3, 2, 1, 0.6667)
    assert [(r["name"], r["closed"], r["won"]) for r in result["by_manager"]] == [("Manager", 3, 2)]
    assert sorted((r["closed"], r["won"]) for r in result["by_source"]) == [(1, 1), (2, 1)]
    assert [(r["name"], r["count"]) for r in result["reasons"]] == [("Дорого", 1)]


def test_cycle_time_median_and_p90_of_days_to_the_win(deals, people):
    result = analytics.cycle_time(scope(people))
    # A: 6 days, C (created before the period, won in it): 18 days.
    assert result["deals"] == 2
    assert result["median_days"] == 12.0
    assert result["p90_days"] == 16.8


def test_time_in_status_spans_versions_and_back_and_forth_moves(deals, people):
    result = {row["status"]: row for row in analytics.time_in_status(scope(people))["statuses"]}
    assert list(result) == ["new", "firstContact", "presentation", "decision"]
    # new: A 1 day, B 12 hours, D 2 days (its migration to v2 kept it in «new»: one stay).
    assert (result["new"]["stays"], result["new"]["median_seconds"], result["new"]["p90_seconds"]) == \
        (3, DAY, round(1.8 * DAY))
    # firstContact: A 2 days, B 2 days (after coming back), C 17 days (entered in February, left in March).
    assert (result["firstContact"]["stays"], result["firstContact"]["median_days"],
            result["firstContact"]["p90_days"]) == (3, 2.0, 14.0)
    assert (result["presentation"]["stays"], result["presentation"]["median_seconds"],
            result["presentation"]["p90_seconds"]) == (2, round(0.75 * DAY), round(0.95 * DAY))
    assert (result["decision"]["stays"], result["decision"]["median_days"]) == (1, 2.0)


def test_transitions_count_every_move_of_the_period_and_flag_what_the_diagram_no_longer_allows(deals, people):
    moves = {(m["from"], m["to"]): m for m in analytics.transitions(scope(people))["moves"]}
    assert {key: m["count"] for key, m in moves.items()} == {
        ("new", "firstContact"): 2, ("firstContact", "presentation"): 1, ("presentation", "decision"): 1,
        ("decision", "completed"): 1, ("new", "presentation"): 1, ("presentation", "firstContact"): 1,
        ("firstContact", "refusal"): 1, ("firstContact", "completed"): 1}
    assert moves[("new", "firstContact")]["median_seconds"] == round(1.5 * DAY)  # A 1 day, D 2 days
    assert [key for key, m in moves.items() if not m["allowed"]] == [("firstContact", "completed")]


def test_throughput_per_local_week(deals, people):
    weeks = {w["week"]: (w["created"], w["won"], w["refused"]) for w in analytics.throughput(scope(people))["weeks"]}
    assert weeks == {"2026-02-23": (0, 0, 0), "2026-03-02": (2, 1, 1), "2026-03-09": (2, 1, 0),
                     "2026-03-16": (0, 0, 0), "2026-03-23": (0, 0, 0), "2026-03-30": (0, 0, 0)}


def test_forecast_by_expected_close_month_weighted_by_the_stage_percent(deals, people):
    spring = analytics.parse_scope({"from": ["2026-03-01"], "to": ["2026-04-30"]}, people["director"])
    result = analytics.forecast(spring)
    assert result["months"] == [{"month": "2026-04", "deals": 1, "budget": 1000.0, "weighted": 200.0}]
    # E (new, 0%) and F (firstContact) are open without a date; won and refused deals are not open.
    assert result["undated"] == {"month": None, "deals": 2, "budget": 500.0, "weighted": 0.0}
    march = analytics.forecast(scope(people))
    assert march["months"] == []


def test_filters_narrow_every_figure(deals, people):
    only_e = scope(people, responsible=people["manager2"].id)
    assert analytics.funnel(only_e)["created"] == 1
    assert analytics.win_rate(only_e)["closed"] == 0
    assert analytics.win_rate(only_e)["rate"] is None
    assert analytics.cycle_time(only_e) == {"deals": 0, "median_days": None, "p90_days": None,
                                            "median_seconds": None, "p90_seconds": None}
    second_source = scope(people, source=deals["C"].source_id)
    assert analytics.win_rate(second_source)["closed"] == 1  # C


def test_a_manager_sees_the_figures_of_their_own_deals_only(deals, people):
    own = scope(people, who="manager2", responsible=people["manager"].id)  # asking for another's is ignored
    assert own.responsible == [people["manager2"].id]
    assert analytics.funnel(own)["created"] == 1
    assert analytics.win_rate(scope(people, who="manager"))["closed"] == 3


@pytest.mark.parametrize("args, field", [({"from": ["2026-04-01"], "to": ["2026-03-01"]}, "from"),
                                         ({"from": ["yesterday"]}, "from"), ({"responsible": ["x"]}, "responsible")])
def test_a_bad_period_or_filter_is_a_validation_error(ctx, people, args, field):
    with pytest.raises(ValidationError) as refused:
        analytics.parse_scope(args, people["director"])
    assert field in refused.value.errors


def test_no_role_no_analytics(ctx):
    with pytest.raises(Forbidden):
        analytics.parse_scope({}, None)
