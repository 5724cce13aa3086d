"""Each figure as the tables the page shows and exports: columns, rows, the journal cell of a row, a chart.

A row is a list of values (numbers stay numbers for the exports) with the journal cell it links to
(``figure:key``, processes.analytics.members). A chart names the columns it draws.
"""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l


@dataclass
class Table:
    name: str
    title: object
    columns: list                                   # labels
    rows: list = field(default_factory=list)        # lists of values
    cells: list = field(default_factory=list)       # per row: the journal cell, or None
    chart: dict = None                               # {"type", "series": [column index], "horizontal"}

    def add(self, values, cell=None):
        self.rows.append(values)
        self.cells.append(cell)

    def chart_data(self):
        """What static/…/analytics.js draws: the first column as labels, the chart's columns as series."""
        if not self.chart:
            return None
        return {"type": self.chart["type"], "horizontal": self.chart.get("horizontal", False),
                "labels": [str(row[0]) for row in self.rows],
                "series": [{"label": str(self.columns[i]), "data": [row[i] for row in self.rows]}
                           for i in self.chart["series"]]}


def _percent(share):
    return None if share is None else round(share * 100, 1)


def funnel(data):
    table = Table("funnel", _l("Funnel"), [_l("Stage"), _l("Reached"), _l("% of first"), _l("% of previous")],
                  chart={"type": "bar", "series": [1], "horizontal": True})
    for stage in data["stages"]:
        table.add([stage["label"], stage["reached"], _percent(stage["share_of_first"]),
                   _percent(stage["share_of_previous"])], f"funnel:{stage['percent']}")
    return [table]


def win_rate(data):
    overall = Table("win-rate", _l("Win rate"), [_l("Deals"), _l("Count")], chart={"type": "doughnut", "series": [1]})
    overall.add([_l("Won"), data["won"]], "win-rate:won")
    overall.add([_l("Refused"), data["refused"]], "win-rate:refused")
    tables = [overall]
    for name, title, rows, key in (("win-rate-managers", _l("Win rate by manager"), data["by_manager"], "manager"),
                                   ("win-rate-sources", _l("Win rate by source"), data["by_source"], "source")):
        table = Table(name, title, [_l("Name"), _l("Closed"), _l("Won"), _l("Win rate, %")],
                      chart={"type": "bar", "series": [3]})
        for row in rows:
            table.add([row["name"] or _l("none"), row["closed"], row["won"], _percent(row["rate"])],
                      f"win-rate:{key}:{row['id'] if row['id'] is not None else 'none'}")
        tables.append(table)
    reasons = Table("refusals", _l("Refusal reasons"), [_l("Reason"), _l("Refusals")],
                    chart={"type": "pie", "series": [1]})
    for row in data["reasons"]:
        reasons.add([row["name"] or _l("no reason given"), row["count"]], f"win-rate:reason:{row['id']}")
    return tables + [reasons]


def cycle_time(data):
    table = Table("cycle-time", _l("Cycle time"), [_l("Deals won"), _l("Median, days"), _l("90th percentile, days")],
                  chart=None)
    table.add([data["deals"], data["median_days"], data["p90_days"]], "cycle-time:won")
    return [table]


def time_in_status(data):
    table = Table("time-in-status", _l("Time in status"),
                  [_l("Status"), _l("Stays"), _l("Median, days"), _l("90th percentile, days")],
                  chart={"type": "bar", "series": [2, 3], "horizontal": True})
    for row in data["statuses"]:
        table.add([row["label"], row["stays"], row["median_days"], row["p90_days"]], f"time-in-status:{row['status']}")
    return [table]


def forecast(data):
    table = Table("forecast", _l("Forecast"), [_l("Expected close"), _l("Deals"), _l("Budget"), _l("Weighted")],
                  chart={"type": "bar", "series": [2, 3]})
    for row in data["months"]:
        table.add([row["month"], row["deals"], row["budget"], row["weighted"]], f"forecast:{row['month']}")
    undated = data["undated"]
    table.add([_l("no date"), undated["deals"], undated["budget"], undated["weighted"]], "forecast:undated")
    return [table]


def throughput(data):
    table = Table("throughput", _l("Throughput per week"), [_l("Week"), _l("Created"), _l("Won"), _l("Refused")],
                  chart={"type": "line", "series": [1, 2, 3]})
    for week in data["weeks"]:
        table.add([week["week"], week["created"], week["won"], week["refused"]], f"throughput:created:{week['week']}")
    return [table]


def transitions(data):
    table = Table("transitions", _l("Moves"), [_l("From"), _l("To"), _l("Moves"), _l("Median before, days"),
                                               _l("Allowed now")])
    for move in data["moves"]:
        median = None if move["median_seconds"] is None else round(move["median_seconds"] / 86400, 2)
        table.add([move["from_label"], move["to_label"], move["count"], median,
                   _l("yes") if move["allowed"] else _l("no")], f"transitions:{move['from']}>{move['to']}")
    return [table]


TABLES = {"funnel": funnel, "win-rate": win_rate, "cycle-time": cycle_time, "time-in-status": time_in_status,
          "forecast": forecast, "throughput": throughput, "transitions": transitions}
