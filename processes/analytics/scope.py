"""The period and filters of an analytics question, and who may ask it.

``from`` and ``to`` are calendar dates in the server's zone (the app's TIMEZONE), both included;
they become a half-open range of stored (naive UTC) times. Directors, analysts and admins see every
deal; a manager sees the same figures for the deals they are responsible for: the scope is narrowed
here, in the domain, whatever face asks.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from engine.clock import utcnow
from engine.models import ProcessDefinition, WorkflowInstance
from processes import fields
from processes.access import require_role
from processes.deal_record import PROCESS
from processes.errors import ValidationError
from processes.models import Deal
from processes.records.listing import QueryArgs

DEFAULT_DAYS = 90
MOST_DAYS = 366 * 20
SEES_ALL = ("director", "analyst", "admin")


@dataclass
class Scope:
    first: date             # the first day of the period (local)
    last: date              # the last day, included
    responsible: list = field(default_factory=list)
    source: list = field(default_factory=list)
    counterparty: list = field(default_factory=list)
    version: int | None = None  # only deals whose workflow runs on this version of the deal process

    @property
    def start(self):
        """The period's first moment as stored times are: naive UTC."""
        return _utc(self.first)

    @property
    def end(self):
        """The moment after the period (exclusive), naive UTC."""
        return _utc(self.last + timedelta(days=1))

    def deal_conditions(self):
        """WHERE conditions on Deal for the filters (not the period: each figure dates its own events)."""
        conditions = []
        if self.responsible:
            conditions.append(Deal.responsible_id.in_(self.responsible))
        if self.source:
            conditions.append(Deal.source_id.in_(self.source))
        if self.counterparty:
            conditions.append(Deal.counterparty_id.in_(self.counterparty))
        if self.version is not None:
            conditions.append(Deal.workflow_id.in_(
                select(WorkflowInstance.id)
                .join(ProcessDefinition, ProcessDefinition.id == WorkflowInstance.definition_id)
                .where(ProcessDefinition.process_id == PROCESS, ProcessDefinition.version == self.version)))
        return conditions

    def query(self):
        """The scope as a query string (lists as repeated keys), for links that keep it."""
        result = {"from": self.first.isoformat(), "to": self.last.isoformat()}
        for name in ("responsible", "source", "counterparty"):
            if getattr(self, name):
                result[name] = list(getattr(self, name))
        if self.version is not None:
            result["version"] = self.version
        return result


def _utc(day):
    local = datetime.combine(day, time.min).replace(tzinfo=fields.to_local(utcnow()).tzinfo)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def today():
    return fields.to_local(utcnow()).date()


def parse_scope(args, user):
    """A Scope from query-string lists, for ``user``: Forbidden for a role that sees no analytics.

    A manager's ``responsible`` filter is replaced by themselves.
    """
    require_role(user, "manager", *SEES_ALL)
    scope = read_scope(args)
    if user.role not in SEES_ALL:
        scope.responsible = [user.id]
    return scope


def read_scope(args):
    """A Scope from query-string lists as given (a journal link: it already names whose deals it counts)."""
    args = QueryArgs(args)
    errors = {}
    days = {}
    for name in ("from", "to"):
        raw = (args.one(name) or "").strip()
        if raw:
            try:
                days[name] = fields.parse_date(raw)
            except ValueError as exc:
                errors[name] = str(exc)
    last = days.get("to") or today()
    first = days.get("from") or last - timedelta(days=DEFAULT_DAYS - 1)
    if "from" not in errors and "to" not in errors:
        if first > last:
            errors["from"] = "the period starts after it ends"
        elif (last - first).days > MOST_DAYS or first.year < 1901 or last.year > 9998:
            errors["from"] = "a period of at most twenty years between 1901 and 9998"
    ids = {}
    for name in ("responsible", "source", "counterparty"):
        try:
            ids[name] = sorted({fields.parse_id(v) for v in args.many(name)})
        except ValueError as exc:
            errors[name] = str(exc)
    version = None
    if args.one("version"):
        try:
            version = fields.parse_id(args.one("version"))
        except ValueError as exc:
            errors["version"] = str(exc)
    if errors:
        raise ValidationError(errors)
    return Scope(first, last, ids["responsible"], ids["source"], ids["counterparty"], version)

