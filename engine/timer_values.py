"""Timer values an analyst's expression may produce: ISO 8601 texts, durations within ``MAX_YEARS``.

SpiffWorkflow turns a duration into a date by walking month by month
(``P999999999999Y`` would loop for hours) and ``P999999999999D`` overflows
``datetime``. A constant timer expression is checked when a diagram is
validated or deployed (``engine/parsing.py``); a computed one when it is
evaluated (``engine/scripting.py``), where a refusal fails the task like a
script error instead of escaping as a 500.
"""
import re
from datetime import timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)

MAX_YEARS = 100
_HORIZON = timedelta(days=366 * MAX_YEARS)
_MAX_TEXT = 200
# Rough length of each designator in days: the bound needs no calendar.
_DAYS = {"years": 366, "months": 31, "weeks": 7, "days": 1, "hours": 1 / 24, "minutes": 1 / 1440,
         "seconds": 1 / 86400}
_KINDS = ((TimeDateEventDefinition, "date"), (DurationTimerEventDefinition, "duration"),
          (CycleTimerEventDefinition, "cycle"))


def kind_of(definition):
    """"date", "duration" or "cycle" for a SpiffWorkflow timer event definition (None for other events)."""
    for cls, kind in _KINDS:
        if isinstance(definition, cls):
            return kind
    return None


def _duration(text):
    try:
        parsed = TimerEventDefinition.parse_iso_duration(text)
    except Exception:  # noqa: BLE001 - SpiffWorkflow raises a bare Exception('Invalid duration')
        raise ValueError(f"{text!r} is not an ISO 8601 duration") from None
    if not parsed:
        raise ValueError(f"{text!r} is not an ISO 8601 duration")
    if sum(value * _DAYS[name] for name, value in parsed.items()) > _HORIZON.days:
        raise ValueError(f"the duration {text!r} is longer than {MAX_YEARS} years")
    return TimerEventDefinition.get_timedelta_from_start(dict(parsed))


def _date(text):
    try:
        moment = TimerEventDefinition.parse_iso_week(text) if "W" in text.upper() \
            else TimerEventDefinition.get_datetime(text)
    except (ValueError, TypeError, AttributeError, OverflowError):
        raise ValueError(f"{text!r} is not an ISO 8601 date and time") from None
    return moment  # a far date (a due date of 2999) is merely never reached; only durations are computed


def _cycle(text):
    parts = text.upper().replace("--", "/").split("/")
    if len(parts) not in (2, 3) or not re.fullmatch(r"R\d{0,9}", parts[0]):
        raise ValueError(f"{text!r} is not an ISO 8601 repeating interval (R5/PT1H)")
    for part in parts[1:]:
        _duration(part) if part.startswith("P") else _date(part)
    if not any(part.startswith("P") for part in parts[1:]):
        raise ValueError(f"{text!r} has no duration")


def check(kind, value):
    """Raise ValueError (its text the reason) unless ``value`` is a timer value SpiffWorkflow can use safely."""
    if not isinstance(value, str):
        raise ValueError(f"a timer expression must give a text like 'PT2H', not {type(value).__name__}")
    text = value.strip()
    if not text or len(text) > _MAX_TEXT:
        raise ValueError("a timer expression must give a short ISO 8601 text")
    if kind == "duration":
        _duration(text)
    elif kind == "cycle":
        _cycle(text)
    elif text.upper().startswith("P"):
        raise ValueError(f"a timer date is needed, not the duration {text!r}")
    else:
        _date(text)
