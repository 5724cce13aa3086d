"""Pipeline analytics from the deal history, across every deployed version: SQL aggregation only.

``scope`` reads the period and filters (and narrows a manager to their own deals), ``catalogue`` knows
every status of every version by its code, ``sql`` holds the few dialect-specific expressions
(seconds between two times, percentiles, week and month buckets) and the stays, ``figures`` answers
each figure and ``members`` the deals a figure's cell counts (the journal's «open in journal»).
"""
from processes.analytics.figures import (FIGURES, cycle_time, forecast, funnel, refusals, throughput,  # noqa: F401
                                         time_in_status, transitions, win_rate)
from processes.analytics.members import members  # noqa: F401
from processes.analytics.scope import Scope, parse_scope, read_scope  # noqa: F401
