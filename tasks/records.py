"""The record types of dealflow, for whatever serves every process alike (the worker's timers, the dashboard).

Deals and assignments; a test adds its own type by replacing ``RECORD_TYPES``.
"""
from processes.deal_record import DEAL
from tasks.assignments import ASSIGNMENT

RECORD_TYPES = (DEAL, ASSIGNMENT)


def of_process(process_id):
    """The record type whose records run ``process_id``, or None."""
    return next((kind for kind in RECORD_TYPES if kind.process_id == process_id), None)
