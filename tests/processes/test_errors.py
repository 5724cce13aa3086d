"""One error hierarchy: every refusal of the engine and the domain has one root the faces catch."""
import pytest
from sqlalchemy.orm.exc import StaleDataError

from engine import errors as engine_errors
from processes import errors
from processes.fields import parse_bool


@pytest.mark.parametrize("cls", [errors.NotFound, errors.Forbidden, errors.InvalidTransition, errors.ValidationError,
                                 errors.FilesRefused, errors.CannotProceed, errors.ProcessFailed, errors.Throttled,
                                 engine_errors.Conflict, engine_errors.InvalidDiagram, engine_errors.WorkflowError,
                                 engine_errors.TaskFailed, engine_errors.ScriptLimitExceeded])
def test_every_refusal_has_one_root(cls):
    assert issubclass(cls, errors.Refusal)


def test_a_stale_flush_is_a_conflict_naming_the_record():
    with pytest.raises(errors.Conflict, match="deal 7 was changed by someone else"):
        with errors.conflict_if_stale("deal 7"):
            raise StaleDataError("stale")


@pytest.mark.parametrize("text, expected", [("1", True), ("TRUE", True), (" yes ", True), ("on", True),
                                            ("0", False), ("false", False), ("No", False), ("off", False),
                                            ("", False), (None, False), (True, True), (False, False)])
def test_one_reading_of_yes_and_no(text, expected):
    assert parse_bool(text) is expected


def test_anything_else_is_the_default():
    assert parse_bool("maybe") is False and parse_bool("maybe", None) is None
