"""What the assignment diagram says: statuses, who owns a task, which verdicts leave it.

Like the deal's statuses, nothing here is hard-coded: a status is a node with a
``status`` property (its label is the node's name), the owner of a user task
is the instance-data variable its ``owner`` property names, and the verdicts
of a task are the flows with a ``verdict`` property leaving it or the gateway
right after it (their names are the button labels, ``commentRequired`` asks
for a comment).
"""
from dataclasses import dataclass
from functools import lru_cache

from engine import definitions
from engine.instances import reached_ends
from engine.labels import localized, translations
from processes.errors import NotFound

PROCESS = "assignment"
OWNERS = ("performer", "verifier", "initiator")  # the data variables a task's owner property may name


@dataclass(frozen=True)
class Verdict:
    code: str
    name: str  # the diagram's own button label; ``label`` is the reader's
    comment_required: bool
    texts: tuple = ()

    @property
    def label(self):
        return localized(self.name, self.texts)


class AssignmentModel:
    """Statuses and verdicts of one deployed version of the assignment process."""

    def __init__(self, graph):
        nodes = graph.process_nodes(PROCESS)
        self.graph = graph
        self._statuses = [(n.properties["status"], n.name or n.properties["status"], translations(n.properties))
                          for n in sorted(nodes, key=lambda n: n.bounds or (0, 0)) if n.properties.get("status")]
        self.status_of_node = {n.id: n.properties["status"] for n in nodes if n.properties.get("status")}
        self.verdicts = {n.id: self._verdicts(n) for n in nodes if n.kind in ("userTask", "manualTask")}

    def _verdicts(self, node):
        flows = []
        for flow in node.outgoing:
            target = self.graph.nodes.get(flow.target)
            if flow.properties.get("verdict"):
                flows.append(flow)
            elif target is not None and target.is_gateway:
                flows.extend(f for f in target.outgoing if f.properties.get("verdict"))
        return [Verdict(f.properties["verdict"], f.name or f.properties["verdict"],
                        (f.properties.get("commentRequired") or "").lower() in ("true", "1", "yes"),
                        translations(f.properties))
                for f in flows]

    @property
    def labels(self):
        """Status code → label in the reader's language, in the drawing's order."""
        return {code: localized(name, texts) for code, name, texts in self._statuses}

    def node(self, node_id):
        return self.graph.nodes[node_id]

    def status(self, instance):
        """The status an instance is in: its ready task, else its waiting timer, else its end."""
        for task in instance.ready_tasks():
            if task.node_id in self.status_of_node:
                return self.status_of_node[task.node_id]
        for node_id, _ in instance.waiting_timers().values():
            if node_id in self.status_of_node:
                return self.status_of_node[node_id]
        for node_id in reversed(reached_ends(instance) if instance.completed else []):
            if node_id in self.status_of_node:
                return self.status_of_node[node_id]
        return None

    def as_dict(self):
        return {"statuses": [{"code": c, "label": label} for c, label in self.labels.items()],
                "verdicts": {node_id: [v.__dict__ for v in vs] for node_id, vs in self.verdicts.items()}}


@lru_cache(maxsize=16)
def _model_for_hash(definition_hash, definition_id):
    return AssignmentModel(definitions.parsed(definitions.get(definition_id)).graph)


def model_for(definition):
    return _model_for_hash(definition.hash, definition.id)


def current_definition():
    definition = definitions.latest(PROCESS)
    if definition is None:
        raise NotFound("the assignment process is not deployed (run `dealflow init`)")
    return definition
