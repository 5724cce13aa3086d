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

_loading = threading.local()


class _SpecByReferenceConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["spec"] = workflow.spec.name
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

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
_SpecByReferenceConverter(BpmnWorkflow, _registry)
_serializer = BpmnWorkflowSerializer(_registry)
_encoder_lock = threading.Lock()
VERSION = _serializer.VERSION


def dumps(workflow):
    """The workflow's state (no spec) as a JSON string."""
    # Encoder mode converts nested objects lazily inside json.dumps (SpiffWorkflow's fast path).
    with _encoder_lock:  # the mode is a flag on the shared registry
        return _dumps_encoded(workflow)


def _dumps_encoded(workflow):
    _registry._encoder_mode = True
    try:
        dct = _serializer.to_dict(workflow)
        return json.dumps(dct, cls=_serializer._encoder_cls, separators=(",", ":"), ensure_ascii=False)
    finally:
        _registry._encoder_mode = False


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
