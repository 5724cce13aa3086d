"""Start many instances of one process through one message start event: the mail intake's hot path.

A message start that runs no code (no script, condition, timer or other
expression on the way to the first waiting task) reaches the same state for
every payload: only the task ids, the times and the payload differ. That
state is recorded once per deployed version (``Template``): a probe payload is
started for real, serialized, and cut where the ids, the times and the probe
sit. A new instance is then the pieces joined with fresh ids and its payload
as JSON, with no workflow built, run or serialized; the rows of a group go
in with one INSERT per table.

The recording is checked before it is trusted: the script engine counts
every evaluation on the way (one means the path depends on data: no
template), and a second payload started both ways must give the same tasks,
states and data. A diagram that fails either check, or a payload that is not
plain JSON, starts the ordinary way (``Instance.start``), one by one.
"""
import json
import re
import threading
import time
from types import SimpleNamespace
from uuid import uuid4

from sqlalchemy import insert

from engine import definitions, serializer, timers
from engine.clock import utcnow
from engine.db import db
from engine.instances import SCRIPT_ENGINE, HumanTask, Instance
from engine.models import ReadyTask, WorkflowInstance
from engine.scripting import RestrictedScriptEngine

_INSTANCES = WorkflowInstance.__table__
_READY = ReadyTask.__table__
_PROBE = {"dealflow-probe": ["check", 1, None, {"nested": True}], "text": "Проверка"}
_lock = threading.Lock()
_templates = {}  # (definition hash, process id, message) -> Template, or None: start the ordinary way


class _CountingEngine(RestrictedScriptEngine):
    """The restricted engine, counting every piece of code it runs (a template needs none)."""

    def __init__(self):
        super().__init__()
        self.runs = 0

    def evaluate(self, task, expression, external_context=None):
        self.runs += 1
        return super().evaluate(task, expression, external_context)

    def execute(self, task, script, external_context=None):
        self.runs += 1
        return super().execute(task, script, external_context)


class Started:
    """An instance started from a template: its row id and ready tasks (what a caller reads of a new instance)."""

    completed = False

    def __init__(self, row_id, ready):
        self.id = row_id
        self._ready = ready

    def ready_tasks(self):
        return self._ready

    def waiting_timers(self):
        return {}


class Template:
    """A message start's serialized state, cut at the task ids, times and payload."""

    def __init__(self, text, marker, task_ids, ready):
        self.ready = ready  # [(template task id, HumanTask without id)]
        ids = sorted(task_ids)
        self.slots = {task_id: n for n, task_id in enumerate(ids)}
        pattern = re.compile("|".join([re.escape(json.dumps(marker, ensure_ascii=False))]
                                      + [re.escape(task_id) for task_id in ids]
                                      + [r'(?<="last_state_change":)-?[0-9.eE+-]+']))
        self.pieces, self.fills, last = [], [], 0
        recorded = None
        for match in pattern.finditer(text):
            self.pieces.append(text[last:match.start()])
            found = match.group(0)
            if found in self.slots:
                self.fills.append(("id", self.slots[found]))
            elif found.startswith('"'):
                self.fills.append(("payload", None))
            else:
                recorded = float(found) if recorded is None else recorded
                self.fills.append(("time", float(found) - recorded))
            last = match.end()
        self.pieces.append(text[last:])

    def state(self, payload_json, task_ids, now):
        """The state of a new instance: fresh ``task_ids`` (one per template task), the payload, times from now."""
        out = [self.pieces[0]]
        for (kind, value), piece in zip(self.fills, self.pieces[1:]):
            out.append(task_ids[value] if kind == "id" else payload_json if kind == "payload" else repr(now + value))
            out.append(piece)
        return "".join(out)

    def new(self, payload_json):
        """(state, [HumanTask with its new id]) for one payload."""
        task_ids = [str(uuid4()) for _ in self.slots]
        ready = [HumanTask(id=task_ids[self.slots[old]], node_id=t.node_id, name=t.name, lane=t.lane,
                           properties=t.properties, data={}, assignee=None) for old, t in self.ready]
        return self.state(payload_json, task_ids, time.time()), ready


def _record(definition, message):
    """A Template for this definition's message start, or None when its path runs code or the check fails."""
    diagram = definitions.parsed(definition)
    counting = _CountingEngine()
    marker = f"dealflow-probe-{uuid4().hex}"
    try:
        workflow = Instance._new_workflow(diagram, definition.process_id, marker, message, counting)
    except Exception:  # noqa: BLE001 - a start that fails with a probe is left to the ordinary way
        return None
    instance = Instance(SimpleNamespace(id=None, definition=definition, status="running", error_task=None),
                        workflow, diagram)
    ready = instance.ready_tasks()
    if counting.runs or workflow.is_completed() or timers.waiting(workflow) \
            or any(t.assignee is not None or "owner" in t.properties for t in ready):
        return None
    template = Template(serializer.dumps(workflow), marker, [str(t) for t in workflow.tasks],
                        [(t.id, t) for t in ready])
    return template if _same(template, diagram, definition.process_id, message) else None


def _same(template, diagram, process_id, message):
    """Whether the template and a real start give the same tasks, states and data for another payload."""
    real = Instance._new_workflow(diagram, process_id, _PROBE, message)
    state, _ready = template.new(json.dumps(_PROBE, ensure_ascii=False, separators=(",", ":")))
    spec, subprocess_specs = diagram.spec(process_id)
    made = serializer.loads(state, serializer.VERSION, spec, subprocess_specs, SCRIPT_ENGINE)

    def shape(workflow):
        return sorted((t.task_spec.name, t.state, json.dumps(t.data, sort_keys=True)) for t in workflow.get_tasks())
    return shape(real) == shape(made)


def template_for(definition, message):
    key = (definition.hash, definition.process_id, message)
    with _lock:
        if key in _templates:
            return _templates[key]
    template = _record(definition, message)
    with _lock:
        _templates[key] = template
    return template


def _plain_json(payload):
    try:
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return None


def start_many(definition, payloads, message):
    """Start one instance per payload through ``message``; rows inserted (not committed), in payload order.

    Returns Started values (or Instances, for what had to start the ordinary way).
    """
    template = template_for(definition, message)
    made = [None if template is None else _plain_json(p) for p in payloads]
    started = [None] * len(payloads)
    fast = [n for n, text in enumerate(made) if text is not None]
    if fast:
        now = utcnow()
        states = [template.new(made[n]) for n in fast]
        ids = db.session.execute(
            insert(_INSTANCES).returning(_INSTANCES.c.id, sort_by_parameter_order=True),
            [{"definition_id": definition.id, "state": state, "serializer_version": serializer.VERSION,
              "status": "running", "error": None, "error_task": None, "error_node": None, "version": 1,
              "created_at": now, "updated_at": now} for state, _ready in states]).scalars().all()
        ready_rows = []
        for n, row_id, (_state, ready) in zip(fast, ids, states):
            started[n] = Started(row_id, ready)
            ready_rows += [{"instance_id": row_id, "task_id": t.id, "node_id": t.node_id, "name": t.name,
                            "lane": t.lane, "assignee": None, "created_at": now} for t in ready]
        if ready_rows:
            db.session.execute(insert(_READY), ready_rows)
    for n, payload in enumerate(payloads):
        if started[n] is None:
            started[n] = Instance.start(definition, payload, message=message)
    return started
