"""Deals stuck in an error of their process: the deal's face of processes.records.failures."""
from processes.deal_record import DEAL
from processes.records import failures


def failure_of(deal):
    """(node name, reason) when the deal's process is in error, else None (read from the row alone)."""
    return failures.failure_of(DEAL, deal)


def stuck_deals(process_id, limit=failures.LISTED):
    """The deals of ``process_id`` whose workflow is in error, newest failure first."""
    return failures.stuck(DEAL, process_id, limit)


def retry_deal(number, user, data=None):
    """Run a stuck deal's failed task again (with ``data`` as its data if given); return a records Retried."""
    return failures.retry(DEAL, number, user, data)
