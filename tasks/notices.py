"""E-mail notices about assignments, queued in the outbox with the action that caused them.

The words come from the diagram (the name and documentation of the task or
event), so an analyst who renames «На проверке» renames the letters too.
"""
from engine.db import db
from processes import fields, outbox
from processes.models import User


def _body(assignment, lines):
    deal = assignment.deal
    due = fields.to_local(assignment.due_at)
    parts = [assignment.title, "", assignment.description or "", "",
             f"№ {deal.number} · {deal.name}", due.strftime("%Y-%m-%d %H:%M") if due else ""]
    return "\n".join([*parts, "", *[line for line in lines if line]]).strip() + "\n"


def task_arrived(assignment, instance, actor=None, comment=""):
    """Tell whoever must act now on the assignment (unless they acted themselves)."""
    for task in instance.ready_tasks():
        if not task.assignee or (actor is not None and task.assignee == str(actor.id)):
            continue
        user = db.session.get(User, int(task.assignee))
        node = instance.diagram.graph.nodes.get(task.node_id)
        documentation = node.properties.get("documentation", "") if node else ""
        outbox.enqueue([user], f"assignment:{assignment.id}:{task.node_id}",
                       f"{task.name}: {assignment.title}", _body(assignment, [comment, documentation]))


def timer_fired(assignment, node):
    """Tell the people a fired timer's ``notify`` property names (e.g. "performer initiator")."""
    people = [getattr(assignment, role, None) for role in node.properties.get("notify", "").split()]
    outbox.enqueue([p for p in people if p is not None], f"assignment:{assignment.id}:{node.id}",
                   f"{node.name}: {assignment.title}", _body(assignment, []))
