"""The restricted script engine for BPMN scripts, conditions and timer expressions, with budgets.

SpiffWorkflow runs them with plain ``eval``/``exec`` and full builtins, and its
documented ``safe_globals`` recipe is escapable through
``().__class__.__base__.__subclasses__()``. Here every piece of code is compiled
by RestrictedPython (``engine/restricted.py``) and runs with guarded access.

Every run is also bounded in CPU time and memory (``configure``): code that is
provably cheap (``engine/bounded.py``: no loops, calls or size multipliers —
routing conditions, flags) runs in-process; the rest runs in a sandbox child
(``engine/sandbox.py``) that is killed when it overruns. Running out of a
budget raises ``ScriptLimitExceeded``, which fails the task like any script error.
"""
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from engine import restricted, sandbox, timer_values
from engine.bounded import is_bounded
from engine.restricted import RestrictedCodeError, compile_expression, compile_script  # noqa: F401 - re-exported


def configure(cpu_seconds=None, memory_mb=None):
    """Set the CPU-time (seconds) and memory (MB) budget of every script, condition and timer expression."""
    if cpu_seconds is not None:
        cpu_seconds = float(cpu_seconds)
        if not 0 < cpu_seconds <= 600:
            raise ValueError("SCRIPT_CPU_SECONDS must be more than 0 and at most 600")
        sandbox.Limits.cpu_seconds = cpu_seconds
    if memory_mb is not None:
        memory_mb = int(memory_mb)
        if not 16 <= memory_mb <= 64 * 1024:
            raise ValueError("SCRIPT_MEMORY_MB must be from 16 to 65536")
        sandbox.Limits.memory_mb = memory_mb


def limits():
    """(cpu seconds, memory MB) as configured."""
    return sandbox.Limits.cpu_seconds, sandbox.Limits.memory_mb


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Task-data environment whose code runs under RestrictedPython guards and the budgets."""

    def __init__(self):
        super().__init__(restricted.restricted_globals())

    def evaluate(self, expression, context, external_context=None):
        if is_bounded(expression, "eval"):
            return restricted.evaluate(self.globals, expression, context, external_context)
        compile_expression(expression)  # refused code fails here as it always did, without a round trip
        return sandbox.run("eval", expression, context, external_context)

    def execute(self, script, context, external_context=None):
        if is_bounded(script, "exec"):
            restricted.execute(self.globals, script, context, external_context)
            return True
        compile_script(script)
        changed = sandbox.run("exec", script, context, external_context)
        # The data as the script left it: names it deleted go, others are replaced (mutated in place there).
        for name in list(context):
            if name not in changed:
                del context[name]
        context.update(changed)
        return True

    def call_service(self, context, **kwargs):
        raise NotImplementedError("service tasks are not supported")


class RestrictedScriptEngine(PythonScriptEngine):
    """The script engine every dealflow workflow runs with."""

    def __init__(self):
        super().__init__(environment=RestrictedEnvironment())

    def validate(self, expression):
        compile_expression(expression)

    def evaluate(self, task, expression, external_context=None):
        """Evaluate as SpiffWorkflow does; a timer's value is checked before SpiffWorkflow computes with it.

        An absurd duration (``P999999999999Y``) would otherwise loop for hours
        or overflow in SpiffWorkflow's date arithmetic, outside any task error.
        """
        value = super().evaluate(task, expression, external_context)
        definition = getattr(task.task_spec, "event_definition", None)
        kind = timer_values.kind_of(definition)
        if kind is not None and expression == definition.expression:
            try:
                timer_values.check(kind, value)
            except ValueError as exc:
                raise WorkflowTaskException(f"timer refused: {exc}", task=task, exception=exc) from exc
        return value

    def call_service(self, task, **kwargs):
        # SpiffWorkflow's own error path here references an undefined name.
        raise NotImplementedError("service tasks are not supported")
