"""Engine error types; the faces map them to HTTP status codes and exit codes."""


class Refusal(Exception):
    """The one root of every error a layer raises on purpose (engine and domain alike).

    It lives here, in the bottom layer, so the domain's errors can share it;
    the faces catch this one type and map its subclasses once (``web/errors.py``).
    """


class EngineError(Refusal):
    """Base class of everything the engine raises on purpose."""


class DiagramProblem:
    """One problem found in a diagram: the element it concerns and why."""

    __slots__ = ("element_id", "reason")

    def __init__(self, element_id, reason):
        self.element_id = element_id or ""
        self.reason = reason

    def as_dict(self):
        return {"element_id": self.element_id, "reason": self.reason}

    def __str__(self):
        return f"{self.element_id}: {self.reason}" if self.element_id else self.reason

    def __repr__(self):
        return f"DiagramProblem({self.element_id!r}, {self.reason!r})"


class InvalidDiagram(EngineError):
    """A diagram was refused; ``problems`` names each element and reason."""

    def __init__(self, problems):
        if isinstance(problems, DiagramProblem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, element_id, reason):
        return cls([DiagramProblem(element_id, reason)])


class Conflict(EngineError):
    """Somebody else changed the instance since it was read."""


class WorkflowError(EngineError):
    """A workflow could not proceed (a task failed, a gateway found no way)."""

    def __init__(self, message, element_id=""):
        self.element_id = element_id
        super().__init__(message)


class TaskFailed(WorkflowError):
    """An automated task (a script) raised after the instance had moved on.

    Unlike a refused step, the work before it is done: the instance now holds
    the task in ERROR (``Instance.failure``) and may be saved that way, to be
    retried from that task later. ``task_id`` is the failed task's id.
    """

    def __init__(self, message, element_id="", task_id=""):
        self.task_id = task_id
        super().__init__(message, element_id)


class ScriptError(EngineError):
    """Diagram code could not run for a reason of its own making (data that cannot be passed, say)."""


class ScriptLimitExceeded(ScriptError):
    """Diagram code ran out of its CPU-time (``kind="time"``) or memory (``"memory"``) budget.

    The message is the reason a stuck deal shows; the web face translates it
    (``web/domain_messages.py``).
    """

    def __init__(self, kind, budget):
        self.kind = kind
        self.budget = budget
        if kind == "time":
            message = f"script time limit exceeded ({budget:g} s)"
        else:
            message = f"script memory limit exceeded ({budget:g} MB)"
        super().__init__(message)
