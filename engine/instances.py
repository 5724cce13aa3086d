"""Start, load, run and save workflow instances.

An ``Instance`` wraps one SpiffWorkflow workflow and its database row. The
callers only see plain data: ready human tasks, their node ids, lanes and
properties. ``save`` writes the state through the version column, so a stale
write raises Conflict instead of overwriting someone else's change.
"""
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import bindparam, case, delete, select, update
from sqlalchemy.orm.attributes import set_committed_value
from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.specs.mixins.exclusive_gateway import ExclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.manual_task import ManualTask
from SpiffWorkflow.bpmn.specs.mixins.script_task import ScriptEngineTask
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.exceptions import SpiffWorkflowException, WorkflowException
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState

from engine import cache, definitions, serializer, timers
from engine.clock import utcnow
from engine.db import db
from engine.errors import Conflict, ScriptLimitExceeded, TaskFailed, WorkflowError
from engine.models import ReadyTask, WorkflowInstance
from engine.scripting import RestrictedScriptEngine

SCRIPT_ENGINE = RestrictedScriptEngine()

# The statements of every save, built once: SQLAlchemy then reuses their cache keys and compiled SQL.
_INSTANCES = WorkflowInstance.__table__
_SAVE_STATE = update(_INSTANCES).where(_INSTANCES.c.id == bindparam("row_id"),
                                       _INSTANCES.c.version == bindparam("read_version"))
_READY = ReadyTask.__table__
# A task on the same node goes on waiting since it began (a migration rebuilds the workflow's tasks).
_REPLACE_READY = update(_READY).where(_READY.c.task_id == bindparam("old_id")).values(
    task_id=bindparam("new_id"), node_id=bindparam("node_id"), name=bindparam("name"), lane=bindparam("lane"),
    assignee=bindparam("assignee"),
    created_at=case((_READY.c.node_id == bindparam("node_id"), _READY.c.created_at), else_=bindparam("at")))


@dataclass
class HumanTask:
    """A user or manual task that is ready, as the layers above see it."""

    id: str
    node_id: str
    name: str
    lane: str
    properties: dict
    data: dict
    assignee: str | None = None  # from the instance data, when the task's ``owner`` property names a variable


@dataclass
class Failure:
    """The automated task an instance failed in: saved with the instance, retried from."""

    task_id: str
    node_id: str
    reason: str


def _error(exc):
    task = getattr(exc, "task", None) or getattr(exc, "task_spec", None)
    element = getattr(getattr(task, "task_spec", task), "bpmn_id", "") or ""
    limit = _limit_cause(exc)
    return WorkflowError(str(limit) if limit else str(exc).split("\n")[0], element)


def _limit_cause(exc):
    """The ScriptLimitExceeded SpiffWorkflow wrapped (its message says only "Error evaluating…"), if any."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, ScriptLimitExceeded):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


class Instance:
    """One workflow instance: the Spiff workflow plus its persisted row."""

    def __init__(self, row, workflow, diagram, ready=None):
        self.row = row
        self.workflow = workflow
        self.diagram = diagram
        self._ready = ready  # known when the workflow comes from the cache
        self.definition = row.definition  # the version it runs on; a migration changes it
        self.failure = Failure(row.error_task, row.error_node or "", row.error or "") \
            if row.status == "error" and row.error_task else None
        # Ready tasks and timers as indexed when loaded: saves know what changed.
        self._indexed = set() if row.id is None else {t.id for t in self.ready_tasks()}
        self._timers = {} if row.id is None else timers.waiting(workflow)

    # -- creation and loading -------------------------------------------------

    @classmethod
    def start(cls, definition, data=None, message=None):
        """Start a new instance; with ``message`` through that message start event.

        ``data`` becomes the start data (or the message payload). The row is
        added to the session but not committed: the caller's edge commits.
        """
        diagram = definitions.parsed(definition)
        workflow = cls._new_workflow(diagram, definition.process_id, data, message)
        row = WorkflowInstance(definition=definition, state="", serializer_version=serializer.VERSION)
        instance = cls(row, workflow, diagram)
        instance.save()
        return instance

    @staticmethod
    def _new_workflow(diagram, process_id, data, message, script_engine=None):
        spec, subprocess_specs = diagram.spec(process_id)
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=script_engine or SCRIPT_ENGINE)
        try:
            if message:
                # The plain start would run on the first engine step: cancel it,
                # let the message start wait, then deliver the message.
                _cancel_plain_starts(workflow)
                workflow.do_engine_steps()
                workflow.send_event(BpmnEvent(MessageEventDefinition(message), payload=data or {}))
            else:
                workflow.task_tree.data.update(data or {})
            workflow.do_engine_steps()
        except (SpiffWorkflowException, WorkflowException) as exc:
            raise _error(exc) from None
        _check_alive(workflow)
        _prune_predictions(workflow)
        return workflow

    @classmethod
    def load(cls, instance_id, for_update=False):
        """Load an instance by id (None when there is none)."""
        query = select(WorkflowInstance).where(WorkflowInstance.id == instance_id)
        if for_update:
            query = query.with_for_update()
        row = db.session.scalars(query).first()
        return None if row is None else cls.from_row(row)

    @classmethod
    def from_row(cls, row):
        """Wrap an already loaded WorkflowInstance row (saves a query)."""
        diagram = definitions.parsed(row.definition)
        cached = cache.take(row.id, row.version)
        if cached is not None:
            workflow, ready = cached
            _compact_history(workflow)
            return cls(row, workflow, diagram, ready=ready)
        spec, subprocess_specs = diagram.spec(row.definition.process_id)
        workflow = serializer.loads(row.state, row.serializer_version, spec, subprocess_specs, SCRIPT_ENGINE)
        _compact_history(workflow)
        return cls(row, workflow, diagram)

    # -- reading ---------------------------------------------------------------

    @property
    def id(self):
        return self.row.id

    @property
    def completed(self):
        # A ready human task is unfinished: known without SpiffWorkflow's walk of the tree.
        return False if self._ready else self.workflow.is_completed()

    @property
    def size(self):
        """How many tasks the workflow's tree holds (grows with every loop)."""
        return len(self.workflow.tasks)

    def ready_tasks(self):
        """Ready user/manual tasks as plain HumanTask values (computed once per change)."""
        if self._ready is None:
            self._ready = []
            for task in self.workflow.get_tasks(state=TaskState.READY, manual=True):
                spec = task.task_spec
                node = self.diagram.graph.nodes.get(spec.bpmn_id)
                properties = dict((spec.extensions or {}).get("properties", {}))
                self._ready.append(HumanTask(
                    id=str(task.id), node_id=spec.bpmn_id, name=spec.bpmn_name or spec.bpmn_id,
                    lane=node.lane_id if node else (spec.lane or ""),
                    properties=properties, data=task.data, assignee=_assignee(properties, task.data),
                ))
        return self._ready

    @property
    def data(self):
        """The data of the first ready task, else of the last completed one."""
        ready = self.ready_tasks()
        if ready:
            return ready[0].data
        return self.workflow.last_task.data if self.workflow.last_task else {}

    def waiting_timers(self):
        """{task id: (node id, due time)} of the timer events the instance waits on."""
        return timers.waiting(self.workflow)

    # -- changing ----------------------------------------------------------------

    def checkpoint(self):
        """A mark of what has completed so far, for ``passed_since``."""
        return {t.id for t in self.workflow.get_tasks(state=TaskState.COMPLETED)}

    def passed_since(self, checkpoint=frozenset()):
        """Node ids completed after the checkpoint (from the start without one), in order."""
        done = [t for t in self.workflow.get_tasks(state=TaskState.COMPLETED) if t.id not in checkpoint]
        return [t.task_spec.bpmn_id for t in sorted(done, key=lambda t: t.last_state_change)
                if t.task_spec.bpmn_id]

    def fire_timers(self):
        """Fire the timers due by the engine clock; return the node ids this completed, in order."""
        before = self.checkpoint()
        self._ready = None
        try:
            self.workflow.refresh_timers()
            self.workflow.do_engine_steps()
        except (SpiffWorkflowException, WorkflowException) as exc:
            # Nobody waits to be refused here: code over its budget (a condition too) stops the instance
            # in error rather than rolling back to hang again on the worker's next pass.
            raise self._failed(exc, any_task=_limit_cause(exc) is not None) from None
        _check_alive(self.workflow)
        return self.passed_since(before)

    def run_task(self, task_id, data=None):
        """Complete a ready human task with data and run the engine on."""
        task = self.workflow.get_task_from_id(UUID(str(task_id)))
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise WorkflowError("the task is not ready", getattr(task, "task_spec", None) and task.task_spec.bpmn_id)
        self._ready = None
        try:
            task.data.update(data or {})
            task.run()
            self.workflow.do_engine_steps()
        except (SpiffWorkflowException, WorkflowException) as exc:
            raise self._failed(exc) from None
        _prune_predictions(self.workflow)
        if not self.ready_tasks():  # a ready human task is alive enough (and is read next anyway)
            _check_alive(self.workflow)

    def _failed(self, exc, any_task=False):
        """TaskFailed (and ``failure`` set) when an automated task broke after the run began; else a refusal.

        ``any_task``: a task in error of any kind (a gateway whose condition broke) counts, not only scripts.
        """
        error = _error(exc)
        failed = [t for t in self.workflow.get_tasks(state=TaskState.ERROR)
                  if any_task or isinstance(t.task_spec, ScriptEngineTask)]
        if not failed:
            return error
        task = failed[0]
        self.failure = Failure(str(task.id), task.task_spec.bpmn_id or "", str(error))
        return TaskFailed(self.failure.reason, self.failure.node_id, self.failure.task_id)

    def failed_data(self):
        """The data the failed task ran with ({} when nothing failed)."""
        task = self.failure and self.workflow.get_task_from_id(UUID(self.failure.task_id))
        return dict(task.data) if task else {}

    def retry(self, data=None):
        """Run the failed task again (with ``data`` as its data, else what it had) and the engine on.

        Raises WorkflowError when nothing failed, TaskFailed when it fails again.
        """
        task = self.failure and self.workflow.get_task_from_id(UUID(self.failure.task_id))
        if task is None or task.state != TaskState.ERROR:
            raise WorkflowError("the instance has no failed task to retry")
        self._ready = None
        self.failure = None
        try:
            self.workflow.reset_from_task_id(task.id, dict(data) if data is not None else dict(task.data))
            self.workflow.do_engine_steps()
        except (SpiffWorkflowException, WorkflowException) as exc:
            raise self._failed(exc) from None
        _check_alive(self.workflow)

    def restart(self, data, definition=None):
        """Replace the workflow by a fresh one from the plain start with ``data``.

        Used to keep a workflow's tree bounded, and with ``definition`` (another
        version of the same process) to migrate: the caller passes what steers
        the diagram back to where it was. The row (and its version) stays.
        """
        definition = definition or self.definition
        diagram = definitions.parsed(definition)
        self.workflow = self._new_workflow(diagram, definition.process_id, data, None)
        self.diagram = diagram
        self.definition = definition
        self._ready = None

    def save(self):
        """Write the state through the version column and refresh ready tasks.

        An existing row is written with one UPDATE … WHERE version = read
        version; no row matched means someone else saved first: Conflict.
        """
        failure = self.failure or Failure(None, None, None)
        _prune_predictions(self.workflow)
        values = {"state": serializer.dumps(self.workflow), "serializer_version": serializer.VERSION,
                  "status": "error" if self.failure else "completed" if self.completed else "running",
                  "error": failure.reason, "error_task": failure.task_id, "error_node": failure.node_id,
                  "definition_id": self.definition.id}
        if self.row.id is None:
            for name, value in values.items():
                setattr(self.row, name, value)
            db.session.add(self.row)
            db.session.flush()
        else:
            read_version = self.row.version
            values.update(version=read_version + 1, updated_at=utcnow())
            # No .values(): the SET clause is the columns named in the parameters. A Core statement runs on
            # the session's connection: the session's own execute would only look that connection up again.
            result = db.session.connection().execute(_SAVE_STATE, {"row_id": self.row.id,
                                                                   "read_version": read_version, **values})
            if result.rowcount != 1:
                raise Conflict("the workflow was changed by someone else")
            for name, value in values.items():
                set_committed_value(self.row, name, value)
            if self.row.definition is not self.definition:
                set_committed_value(self.row, "definition", self.definition)
        self._sync_ready_tasks()
        self._timers = timers.sync(self.row.id, self.workflow, self._timers)
        cache.stage(db.session(), self.row.id, self.row.version, self.workflow, self.ready_tasks())

    def _sync_ready_tasks(self):
        ready = {t.id: t for t in self.ready_tasks()}
        if ready.keys() == self._indexed:
            return
        gone = sorted(self._indexed - ready.keys())
        new = sorted(ready.keys() - self._indexed)
        # A move replaces one ready task by another: reuse the row (one UPDATE, on the session's connection).
        connection = db.session.connection()
        for old_id, new_id in zip(gone, new):
            task = ready[new_id]
            connection.execute(_REPLACE_READY, {"old_id": old_id, "new_id": new_id, "node_id": task.node_id,
                                                "name": task.name, "lane": task.lane, "assignee": task.assignee,
                                                "at": utcnow()})
        if len(gone) > len(new):
            db.session.execute(delete(_READY).where(_READY.c.task_id.in_(gone[len(new):])))
        for task_id in new[len(gone):]:
            task = ready[task_id]
            db.session.add(ReadyTask(instance_id=self.row.id, task_id=task_id, node_id=task.node_id,
                                     name=task.name, lane=task.lane, assignee=task.assignee))
        self._indexed = set(ready)


def _assignee(properties, data):
    """The task's assignee: the data variable its ``owner`` property names (Camunda's assignee)."""
    variable = properties.get("owner")
    value = data.get(variable) if variable else None
    return None if value is None else str(value)


def _prune_predictions(workflow):
    """Drop the branches SpiffWorkflow predicts beyond a task that is merely FUTURE.

    They are MAYBE/LIKELY guesses (every way out of a gateway not yet reached):
    nothing waits on them, SpiffWorkflow makes the real child when the gateway
    runs, and they are most of a looping workflow's tree — so most of what
    every save would serialize.
    """
    tasks = workflow.tasks
    # The state first: most tasks are not predictions, and it is cheaper to read than the parent.
    for task in [t for t in tasks.values() if t.state & TaskState.PREDICTED_MASK]:
        parent = task.parent
        if parent is not None and task.id in tasks and parent.state & TaskState.FUTURE:
            workflow._remove_task(task.id)


# Tasks that, once completed, nothing in SpiffWorkflow looks back at: no join counts them, no event or
# subprocess hangs on them. A start event may stand above such a chain (it stays).
_PASS_THROUGH = (UserTask, ManualTask, ExclusiveGateway)
_CHAIN_HEAD = _PASS_THROUGH + (StartEvent,)


def _compact_history(workflow):
    """Drop the completed pass-through tasks between older completed ones: a looping workflow's past.

    Every move of a record adds its status task and the routing gateway to the tree, and every
    SpiffWorkflow step walks the whole tree, as does a save. A completed user or manual task or
    exclusive gateway whose parent and only child are completed (of those kinds, or a start event
    above) is spliced out: its child hangs on its parent, whose data it already carries. Run when an
    instance is loaded, before anything is done with it, so what an operation completes itself (its
    ``passed_since``) stays. Ready, waiting, failed and timer tasks, events, ends and the last completed
    task are never touched; the record's history lives in its history table.
    """
    tasks = workflow.tasks
    last = workflow.last_task
    for task in list(tasks.values()):
        if task.state != TaskState.COMPLETED or len(task._children) != 1 or task is last \
                or not isinstance(task.task_spec, _PASS_THROUGH):
            continue
        parent = task.parent
        child = tasks.get(task._children[0])
        if parent is None or parent.state != TaskState.COMPLETED or not isinstance(parent.task_spec, _CHAIN_HEAD) \
                or child is None or child.state != TaskState.COMPLETED:
            continue
        parent._children[parent._children.index(task.id)] = child.id
        child._parent = parent.id
        del tasks[task.id]


def _check_alive(workflow):
    """A workflow that is neither done nor waiting on anything is broken.

    SpiffWorkflow's task iterator stops at depth 1000 and then silently finds
    nothing READY: refuse to save such a state rather than lose the deal.
    """
    if workflow.is_completed():
        return
    if workflow.get_tasks(state=TaskState.READY | TaskState.WAITING | TaskState.STARTED):
        return
    errors = workflow.get_tasks(state=TaskState.ERROR)
    element = errors[0].task_spec.bpmn_id if errors else ""
    raise WorkflowError("the workflow has nothing ready or waiting", element)


def _cancel_plain_starts(workflow):
    for task in workflow.get_tasks(state=TaskState.PREDICTED_MASK | TaskState.READY):
        spec = task.task_spec
        if spec.__class__.__name__ == "StartEvent" and \
                spec.event_definition.__class__.__name__ == "NoneEventDefinition":
            task.cancel()


def reached_ends(instance):
    """Node ids of the end events a completed instance went through."""
    return [t.task_spec.bpmn_id for t in instance.workflow.get_tasks(state=TaskState.COMPLETED)
            if t.task_spec.__class__.__name__ == "EndEvent"]
