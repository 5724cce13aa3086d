"""Workflow state as JSON without the process spec in it.

SpiffWorkflow embeds the whole spec (~13 KB for the deal process) in every
serialized workflow and rebuilds it on every load. Here the spec is left out
and taken, already parsed, from the definition the instance runs on.
"""
import json
import threading

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.default.task_spec import ExclusiveGatewayConverter
from SpiffWorkflow.bpmn.serializer.migration.version_migration import MIGRATIONS
from SpiffWorkflow.bpmn.specs.defaults import ExclusiveGateway
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

_loading = threading.local()


class _SpecByReferenceConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["spec"] = workflow.spec.name
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def to_dict_without_tasks(self, workflow):
        """``to_dict`` but for the tasks (``dumps`` writes them itself)."""
        return {
            "data": self.registry.convert(self.registry.clean(workflow.data)),
            "correlations": workflow.correlations,
            "last_task": str(workflow.last_task.id) if workflow.last_task is not None else None,
            "success": workflow.success,
            "completed": workflow.completed,
            "root": str(workflow.task_tree.id),
            "spec": workflow.spec.name,
            "subprocesses": self.mapping_to_dict(workflow.subprocesses),
            "bpmn_events": self.registry.convert(workflow.bpmn_events),
            "typename": self.registry.typenames[workflow.__class__],
        }

    def from_dict(self, dct):
        spec, subprocess_specs = _loading.specs
        dct.pop("spec", None)
        dct.pop("subprocess_specs", None)
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], _uuid, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(_uuid(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _uuid(value):
    from uuid import UUID
    return UUID(value)


_registry = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
_converter = _SpecByReferenceConverter(BpmnWorkflow, _registry)
_serializer = BpmnWorkflowSerializer(_registry)
_encoder_lock = threading.Lock()
VERSION = _serializer.VERSION
_task_to_dict = _registry.convert_to_dict[_registry.typenames[Task]]
# Tasks in these states are done with: SpiffWorkflow changes them no more unless it resets them (a retry),
# which changes their state and the time of that change.
_SETTLED = TaskState.COMPLETED | TaskState.CANCELLED
_FRAGMENT = "_dealflow_json"  # the attribute a settled task keeps its JSON text in
# Tests set this: every dumps then checks its text against SpiffWorkflow's own conversion of the workflow.
CHECK = False


def dumps(workflow):
    """The workflow's state (no spec) as a JSON string."""
    # Encoder mode converts nested objects lazily inside json.dumps (SpiffWorkflow's fast path).
    with _encoder_lock:  # the mode is a flag on the shared registry
        return _dumps_encoded(workflow)


def _dumps_encoded(workflow):
    """The top-level workflow with its tasks written first: each task's JSON text, from the task when settled.

    A task that has completed (or was cancelled) is written the same way on every later save of the
    same live workflow (engine.cache keeps it between moves), so its text is kept on the task and
    reused while nothing it is made of has changed; only the few tasks a move touched are converted.
    """
    _registry._encoder_mode = True
    try:
        encode = _serializer._encoder_cls(separators=(",", ":"), ensure_ascii=False).encode
        tasks = ",".join(f'"{task_id}":{_task_json(task, encode)}' for task_id, task in workflow.tasks.items())
        rest = encode(_converter.to_dict_without_tasks(workflow))
        text = f'{{"tasks":{{{tasks}}},{rest[1:]}'
        if CHECK:
            expected = json.loads(json.dumps(_serializer.to_dict(workflow), cls=_serializer._encoder_cls))
            assert json.loads(text) == expected, "a kept task text differs from SpiffWorkflow's conversion"
        return text
    finally:
        _registry._encoder_mode = False


def _task_json(task, encode):
    parent = task.parent
    # The text holds the task's data as a delta against its parent's: both must be settled.
    if not task.state & _SETTLED or (parent is not None and not parent.state & _SETTLED):
        return encode(_task_to_dict(task))
    key = (task.state, task.last_state_change, tuple(task._children), task._parent, task.triggered,
           len(task.internal_data), len(task.data), parent.state if parent is not None else None)
    kept = task.__dict__.get(_FRAGMENT)
    if kept is not None and kept[0] == key:
        return kept[1]
    text = encode(_task_to_dict(task))
    task.__dict__[_FRAGMENT] = (key, text)
    return text


def loads(state, serializer_version, spec, subprocess_specs, script_engine):
    """Rebuild a workflow from dumps() output and its already parsed spec."""
    dct = json.loads(state)
    if serializer_version != VERSION and serializer_version in MIGRATIONS:
        MIGRATIONS[serializer_version](dct)
    _loading.specs = (spec, subprocess_specs)
    try:
        workflow = _serializer.from_dict(dct)
    finally:
        _loading.specs = None
    workflow.script_engine = script_engine
    return workflow


class _ExclusiveGatewayConverter(ExclusiveGatewayConverter):
    """Restores a gateway's ``choice``, which SpiffWorkflow writes but does not read back.

    dealflow's parser sets it (empty) so exclusive gateways predict no branches.
    """

    def from_dict(self, dct):
        choice = dct.get("choice")
        spec = super().from_dict(dct)
        spec.choice = None if choice is None else tuple(choice)
        return spec


def full_serializer():
    """SpiffWorkflow's own serializer, spec included (for round-trip checks and export)."""
    config = {**SPIFF_CONFIG, ExclusiveGateway: _ExclusiveGatewayConverter}
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))
