"""Acceptance: every diagram in bpmn/ round-trips through the serializers mid-flow, unchanged.

As SpiffWorkflow's own tests do: at each step of a walk through the process the
workflow is serialized, restored and serialized again (both dealflow's
spec-by-reference serializer and SpiffWorkflow's full one); the two texts must
be equal, and the restored workflow must walk on to the same end.
"""
from pathlib import Path

import pytest
from SpiffWorkflow.util.task import TaskState

from engine import definitions, serializer
from engine.errors import WorkflowError
from engine.instances import SCRIPT_ENGINE, Instance, reached_ends
from engine.parsing import spec_cache
from tests.conftest import BPMN_DIR

# Start data and the data each ready task is completed with, per process.
# A process not listed here is walked with empty data as far as it goes.
SCENARIOS = {
    "deal": ({"next_status": "new"},
             [{"next_status": s, "comment": "ok"} for s in
              ("firstContact", "presentation", "firstContact", "offerPreparation", "pause",
               "offerPreparation", "decision", "offerPreparation", "decision", "completed")]),
    # A clarification round, a return from verification, closed: it then waits on the archive timer.
    "assignment": ({"performer": 1, "initiator": 2, "verifier": 3, "due_at": "2999-01-01T00:00:00+00:00",
                    "verdict": ""},
                   [{"verdict": "clarify", "comment": "?"}, {"verdict": "clarified", "comment": "ok"},
                    {"verdict": "done"}, {"verdict": "return", "comment": "again"}, {"verdict": "done"},
                    {"verdict": "close"}]),
}
ENDS = {"deal": ["completed"]}  # processes whose scenario runs to an end event (no timer in between)
MAX_STEPS = 25


def _processes():
    found = []
    for path in sorted(Path(BPMN_DIR).glob("*.bpmn")):
        for process_id in spec_cache.get(path.read_bytes()).process_ids:
            found.append(pytest.param(path.name, process_id, id=f"{path.name}:{process_id}"))
    return found


def own_roundtrip(instance):
    state = serializer.dumps(instance.workflow)
    spec, subprocess_specs = instance.diagram.spec(instance.row.definition.process_id)
    restored = serializer.loads(state, serializer.VERSION, spec, subprocess_specs, SCRIPT_ENGINE)
    assert serializer.dumps(restored) == state
    return restored


def full_roundtrip(workflow):
    full = serializer.full_serializer()
    text = full.serialize_json(workflow)
    restored = full.deserialize_json(text)
    assert full.serialize_json(restored) == text
    restored.script_engine = SCRIPT_ENGINE
    return restored


def outcome(instance):
    """What a walk ends with: done or not, the end events, the task names run and the last data."""
    completed = sorted(t.task_spec.bpmn_id or t.task_spec.name for t in instance.workflow.tasks.values()
                       if t.state == TaskState.COMPLETED)
    return (instance.completed, reached_ends(instance) if instance.completed else [],
            [t.node_id for t in instance.ready_tasks()], completed, dict(instance.data))


def advance(instance, data):
    """Complete the first ready task with data; the error text when the engine refuses, None when done."""
    ready = instance.ready_tasks()
    if not ready:
        return "nothing ready"
    try:
        instance.run_task(ready[0].id, data)
    except WorkflowError as exc:  # a diagram without a scenario may need data we do not know
        return f"refused: {exc}"
    return None


def walk(instance, steps):
    """Advance through the steps until the end or a refusal; return the outcome."""
    stop = None
    for data in steps:
        stop = advance(instance, data)
        if stop:
            break
    return outcome(instance), stop


@pytest.mark.parametrize("filename, process_id", _processes())
def test_roundtrip_mid_flow(ctx, filename, process_id):
    definition = definitions.latest(process_id)
    assert definition is not None, f"{filename} is not deployed"
    start, steps = SCENARIOS.get(process_id, ({}, [{}] * MAX_STEPS))
    instance = Instance.start(definition, dict(start))
    twins, stop = [], None
    for index in range(len(steps) + 1):
        for restored in (own_roundtrip(instance), full_roundtrip(instance.workflow)):
            twin = Instance(instance.row, restored, instance.diagram)
            assert outcome(twin) == outcome(instance)
            twins.append((twin, steps[index:]))
        if index == len(steps):
            break
        stop = advance(instance, steps[index])
        if stop:
            break
    assert len(twins) >= 2
    final = outcome(instance)
    # Every copy restored mid-flow walks on to the very end the original reached.
    for twin, rest in twins:
        assert walk(twin, rest) == (final, stop)
    if process_id in SCENARIOS:
        assert stop is None
    if process_id in ENDS:
        assert instance.completed and reached_ends(instance) == ENDS[process_id]
