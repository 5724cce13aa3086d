"""What a record does when its workflow ran on without a move: a timer fired, an analyst retried.

The record type's ``follow`` hook mirrors the workflow onto the record (an
assignment marks itself overdue); without one the record takes the status its
workflow reached and the history says why (``timer``, ``retry``).
"""
from processes.records import history


def follow(kind, record, instance, passed, user=None, entry="timer"):
    """Mirror a workflow a timer (``entry`` "timer") or a retry ("retry") ran on onto its record."""
    if kind.follow is not None:
        kind.follow(record, instance, passed, user, entry)
    else:
        follow_status(kind, record, instance, passed, user, entry)


def follow_status(kind, record, instance, passed, user, entry):
    """The record takes the status its workflow reached: a timer's move only when it changed, a retry always.

    The history entry of a timer names the timer that fired (by nobody).
    """
    model = kind.model_for(instance.row.definition)
    reached = model.status_of(instance)
    if reached is None or (entry == "timer" and reached == record.status):
        return
    fired = ""
    if entry == "timer":
        fired = ", ".join([model.node(node).name or node for node in passed
                           if node in model.graph.nodes and node not in model.by_node][:1])
    history.write_status(kind, record, model.get(reached), user, entry, record.status, fired)


def after_timers(kind, instance, passed):
    """The worker fired timers of an instance of ``kind``'s process: its record follows."""
    record = kind.of_workflow(instance.row.id)
    if record is not None:
        follow(kind, record, instance, passed)


def timer_failed(kind, instance, failed):
    """A script after a fired timer broke: the record is stuck (as after a move), with what the timer did."""
    instance.save()
    record = kind.of_workflow(instance.row.id)
    if record is not None:
        follow(kind, record, instance, instance.passed_since())  # say «overdue» was reached before it
        history.note(kind, record, None, "error", record.status if kind.error_from_status else None,
                     comment=str(failed))
