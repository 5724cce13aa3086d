"""Timers an analyst draws on the deal diagram are fired by the worker, and the deal follows them.

A boundary timer on «Первичный контакт» sends a deal left there for a day to
«Пауза»: the worker fires it once, the deal's status and history follow. A
script failing after the timer sticks the deal for an analyst's retry instead
of failing again on every pass of the worker.
"""
import html
from datetime import timedelta

import pytest

from engine import clock
from tests.analyst import diagrams
from tests.analyst.test_failures import api, create, deploy, move, read, workflow_row  # noqa: F401
from web.cli import main

TWO_DAYS_AGO = timedelta(days=-2)


@pytest.fixture
def worker(runner):
    def once():
        result = runner.invoke(main, ["worker", "--once"])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result.output
    return once


def test_a_timer_on_a_status_moves_the_deal_once_and_the_history_says_so(as_user, api, worker):
    assert deploy(as_user, diagrams.with_stale_timer()) == 2
    with clock.shifted(TWO_DAYS_AGO):
        stale = create(api, "ООО «Забытая»", "firstContact")
    fresh = create(api, "ООО «Свежая»", "firstContact")
    with clock.shifted(TWO_DAYS_AGO):
        moved_on = create(api, "ООО «Живая»", "firstContact")
        assert move(api, moved_on, "identifyNeeds").status_code == 200  # leaving the status cancels its timer

    output = worker()
    assert output.count("timer stale of instance") == 1, output
    deal, history = read(api, stale)
    assert deal["status"] == "pause" and deal["stage"] == "Отказ/Пауза"
    assert (history[-1]["kind"], history[-1]["from"], history[-1]["to"]) == ("timer", "firstContact", "pause")
    assert read(api, fresh)[0]["status"] == "firstContact"
    assert read(api, moved_on)[0]["status"] == "identifyNeeds"

    assert "timer stale" not in worker()  # fired once
    assert len(read(api, stale)[1]) == len(history)
    # The deal works on from «Пауза» as any other: the manager reopens it.
    r = move(api, stale, "firstContact", "manager")
    assert r.status_code == 200, r.json
    card = html.unescape(as_user("manager").get(f"/deals/{stale}").get_data(as_text=True))
    assert "по таймеру:" in card and "Сутки без движения" in card  # the card's history names the timer


def test_a_script_failing_after_a_timer_sticks_the_deal_for_a_retry(app, as_user, api, worker):
    assert deploy(as_user, diagrams.with_stale_timer(script="marked = reason.upper()")) == 2
    with clock.shifted(TWO_DAYS_AGO):
        stale = create(api, "ООО «Сломанная»", "firstContact")

    output = worker()
    assert "timer stale of instance" in output and "name 'reason' is not defined" in output, output
    assert workflow_row(app, stale)[:2] == ("error", "mark")
    deal, history = read(api, stale)
    assert deal["status"] == "firstContact" and history[-1]["kind"] == "error"
    assert "timer stale" not in worker()  # stuck, not failing again on every pass
    page = html.unescape(as_user("analyst").get("/processes/deal/v2/dashboard").get_data(as_text=True))
    assert f'data-number="{stale}" data-node="mark"' in page

    r = as_user("analyst").post(f"/processes/deal/{stale}/retry", data={"data": '{"reason": "нет ответа"}'})
    assert r.status_code == 302, r.get_data(as_text=True)
    deal, history = read(api, stale)
    assert deal["status"] == "pause" and history[-1]["kind"] == "retry"
