"""Domain error types, one hierarchy under ``Refusal``, mapped once to HTTP status and exit codes (``web/errors.py``).

The engine's own errors that reach the faces (``Conflict``, ``InvalidDiagram``,
``WorkflowError``) are re-exported here, so the faces import errors from one place.
"""
from contextlib import contextmanager

from sqlalchemy.orm.exc import StaleDataError

from engine.errors import Conflict, InvalidDiagram, Refusal, WorkflowError

__all__ = ["Refusal", "DomainError", "NotFound", "Forbidden", "ValidationError", "FilesRefused", "InvalidTransition",
           "CannotProceed", "ProcessFailed", "Throttled", "LikelyDuplicate", "Conflict", "InvalidDiagram", "WorkflowError",
           "conflict_if_stale"]


class DomainError(Refusal):
    """Base class of the domain's own refusals."""


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to the user)."""


class Forbidden(DomainError):
    """The user's role or relation to the record does not allow the action; ``why`` names the rule, for
    faces that say it in the reader's words (the board: «it belongs to another manager»)."""

    def __init__(self, message, why=""):
        self.why = why
        super().__init__(message)


class InvalidTransition(DomainError):
    """The diagram has no move from the deal's status to the one asked for."""


class ValidationError(DomainError):
    """Input failed validation; ``errors`` maps field names to messages."""

    def __init__(self, errors):
        if isinstance(errors, str):
            errors = {"": errors}
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in self.errors.items()))


class FilesRefused(ValidationError):
    """Files over the limits; ``too_large`` names the files over the size limit."""

    def __init__(self, message, too_large=(), others=None):
        self.message, self.too_large = message, list(too_large)
        detail = f"{message}: {', '.join(self.too_large)}" if self.too_large else message
        super().__init__({**(others or {}), "files": detail})

    def joined(self, others):
        """The same refusal together with the other fields' errors of the form."""
        return FilesRefused(self.message, self.too_large, others)


class CannotProceed(DomainError):
    """A record's process cannot take the step asked for (it is stuck, not stuck, or waits elsewhere)."""

    def __init__(self, message, element_id=""):
        self.element_id = element_id
        super().__init__(message)


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


class Throttled(DomainError):
    """Too many failed logins: try again later."""


@contextmanager
def conflict_if_stale(subject):
    """A flush inside finding the row changed since it was read (a version check) is a ``Conflict`` on ``subject``."""
    try:
        yield
    except StaleDataError:
        raise Conflict(f"{subject} was changed by someone else") from None


class LikelyDuplicate(DomainError):
    """What is being added looks like something already in the directory; ``duplicates`` are the lookalikes.

    ``can_confirm``: sending again with ``confirm`` adds it anyway (a similar name); False when the
    database would refuse it (the same INN): pick the existing one.
    """

    def __init__(self, message, duplicates, can_confirm=True):
        self.duplicates, self.can_confirm = list(duplicates), can_confirm
        super().__init__(message)
