"""The statuses of the deployed deal diagram (processes.records.statuses reads any process's).

Statuses, stages and moves come from the ``deal`` process of the newest
deployed version, or of the version a deal's workflow runs on.
"""
from processes.deal_record import DEAL, PROCESS as DEAL_PROCESS
from processes.records.statuses import Stage, Status, StatusModel, retired_status as _retired_in

__all__ = ["DEAL_PROCESS", "Stage", "Status", "StatusModel", "model_for", "current_definition", "current_model",
           "retired_status", "label_of", "model_of"]

model_for = DEAL.model_for
current_definition = DEAL.current_definition
current_model = DEAL.current_model


def retired_status(code):
    """A status the newest deal diagram no longer has, as the newest version that had it drew it; or None."""
    return _retired_in(DEAL_PROCESS, code)


def label_of(code, model=None):
    """The label of a status code: from the newest diagram, else from the version that had it, else the code."""
    status = (model or current_model()).by_code.get(code) or retired_status(code)
    return status.label if status else code


def model_of(deal):
    """The status model of the version a deal's workflow runs on (the newest when it has none)."""
    if deal.workflow is None:
        return current_model()
    return model_for(deal.workflow.definition)
