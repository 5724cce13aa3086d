"""Domain error types, mapped once to HTTP status codes and CLI exit codes."""
from engine.errors import Conflict, InvalidDiagram, WorkflowError

__all__ = ["DomainError", "NotFound", "Forbidden", "ValidationError", "InvalidTransition", "ProcessFailed",
           "Conflict", "InvalidDiagram", "WorkflowError"]


class DomainError(Exception):
    """Base class of the domain's own refusals."""


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to the user)."""


class Forbidden(DomainError):
    """The user's role or relation to the record does not allow the action."""


class InvalidTransition(DomainError):
    """The diagram has no move from the deal's status to the one asked for."""


class ValidationError(DomainError):
    """Input failed validation; ``errors`` maps field names to messages."""

    def __init__(self, errors):
        if isinstance(errors, str):
            errors = {"": errors}
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in self.errors.items()))


class ProcessFailed(DomainError):
    """A deal's process failed in an automated task; the deal is now stuck there.

    The failure is recorded before this is raised (the instance in error, a
    history entry), so the edges commit instead of rolling back:
    ``keep_changes``. An analyst retries it from the process dashboard.
    """

    keep_changes = True

    def __init__(self, message, element_id=""):
        self.element_id = element_id
        super().__init__(message)
