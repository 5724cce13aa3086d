"""What the assignment diagram says beyond its statuses: which verdicts leave a task.

The statuses are read as for any record (processes.records.statuses); the
owner of a user task is the instance-data variable its ``owner`` property
names (the engine keeps it as the task's assignee), and the verdicts of a
task are the flows with a ``verdict`` property leaving it or the gateway
right after it (their names are the button labels, ``commentRequired`` asks
for a comment).
"""
from dataclasses import dataclass

from engine.labels import localized, translations
from processes import fields
from processes.records import statuses

PROCESS = "assignment"


@dataclass(frozen=True)
class Verdict:
    code: str
    name: str  # the diagram's own button label; ``label`` is the reader's
    comment_required: bool
    texts: tuple = ()

    @property
    def label(self):
        return localized(self.name, self.texts)


class AssignmentModel(statuses.StatusModel):
    """Statuses and verdicts of one deployed version of the assignment process."""

    def __init__(self, graph, process_id=PROCESS):
        super().__init__(graph, process_id)
        self.verdicts = {n.id: self._verdicts(n) for n in graph.process_nodes(process_id)
                         if n.kind in ("userTask", "manualTask")}

    def _verdicts(self, node):
        flows = []
        for flow in node.outgoing:
            target = self.graph.nodes.get(flow.target)
            if flow.properties.get("verdict"):
                flows.append(flow)
            elif target is not None and target.is_gateway:
                flows.extend(f for f in target.outgoing if f.properties.get("verdict"))
        return [Verdict(f.properties["verdict"], f.name or f.properties["verdict"],
                        fields.parse_bool(f.properties.get("commentRequired")),
                        translations(f.properties))
                for f in flows]


def model_for(definition):
    return statuses.model_for(definition, AssignmentModel)


def current_definition():
    return statuses.current_definition(PROCESS)
