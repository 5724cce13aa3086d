"""Statuses, stages and allowed moves of a process, read from its deployed diagram.

A status is any node of the process carrying a ``status`` property; its label
is the node's name, its ``stage`` property names the stage and its lane says
which role acts in it (``label.<language>``/``stage.<language>`` properties
give them in other languages: engine.labels). Order follows the drawing, left
to right. The moves from a status are the statuses reached by its outgoing
flows through gateways and other non-status nodes. Nothing here is
hard-coded, so a status an analyst adds to the diagram shows up everywhere.
"""
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from engine import definitions
from engine.instances import reached_ends
from engine.labels import localized, translations
from processes import fields
from processes.errors import NotFound

_PERCENT = re.compile(r"^\s*(\d{1,3})\s*%")


@dataclass(frozen=True)
class Status:
    code: str
    name: str         # the diagram's own label; ``label`` is the reader's
    stage: str        # stored on deals as is; ``stage_label`` is the reader's
    node_id: str
    lane: str
    final: bool       # an end event: the process is over once the record is here
    archive: bool     # hidden from the board and, by default, from the journal
    order: int
    comment_required: bool = False  # a move here needs a reason (the diagram's commentRequired)
    texts: tuple = ()  # label.<language> / stage.<language> translations from the diagram
    waits: bool = False  # waits on nobody (the diagram's actionable=false: pause, refusal, archive): no one's task
    rot_days: int | None = None   # a record idle here longer than this many days is rotting (``rotDays``)
    wip_limit: int | None = None  # more records than this here is too much work in progress (``wipLimit``)

    @property
    def percent(self):
        """The stage's percent (``20% Квалификация`` → 20), or None for a stage without one."""
        return stage_percent(self.stage)

    @property
    def label(self):
        return localized(self.name, self.texts)

    @property
    def actionable(self):
        """Someone has to act on a record here: not an end, not marked ``actionable=false`` in the diagram."""
        return not self.final and not self.waits

    @property
    def stage_label(self):
        return localized(self.stage, self.texts, "stage")


@dataclass
class Stage:
    name: str
    percent: int | None
    statuses: list = field(default_factory=list)
    texts: tuple = ()  # the translations of its first status

    @property
    def label(self):
        return localized(self.name, self.texts, "stage")


class StatusModel:
    """The statuses of one deployed version of a process."""

    def __init__(self, graph, process_id):
        self.graph = graph
        nodes = [n for n in graph.process_nodes(process_id) if n.properties.get("status")]
        position = {n.id: i for i, n in enumerate(graph.process_nodes(process_id))}

        def sort_key(node):
            if node.bounds:
                return (0, node.bounds[0], node.bounds[1], position[node.id])
            return (1, 0, 0, position[node.id])

        nodes.sort(key=sort_key)
        self.statuses = _shared_stage_texts([
            Status(n.properties["status"], n.name or n.properties["status"], n.properties.get("stage", ""),
                   n.id, n.lane_id, n.kind == "endEvent", fields.parse_bool(n.properties.get("archive")), i,
                   fields.parse_bool(n.properties.get("commentRequired")), translations(n.properties),
                   not fields.parse_bool(n.properties.get("actionable") or "true", default=True),
                   _whole(n.properties.get("rotDays")), _whole(n.properties.get("wipLimit")))
            for i, n in enumerate(nodes)
        ])
        self.by_code = {s.code: s for s in self.statuses}
        self.by_node = {s.node_id: s for s in self.statuses}
        at_status = lambda node: node.id in self.by_node  # noqa: E731 - the stop rule of every walk
        self.moves = {s.code: [self.by_node[n.id].code for n in graph.reachable(s.node_id, at_status)]
                      for s in self.statuses}
        self.start_moves = []
        for node in graph.process_nodes(process_id):
            if node.kind == "startEvent" and not node.events:
                self.start_moves = [self.by_node[n.id].code for n in graph.reachable(node.id, at_status)]
        self.stages = self._stages()
        self._comment_required = {}  # (from, to) → needs_comment's answer, worked out on first asking

    def _stages(self):
        stages = {}
        for status in self.statuses:
            if status.archive:
                continue
            stage = stages.setdefault(status.stage, Stage(status.stage, stage_percent(status.stage),
                                                          texts=status.texts))
            stage.statuses.append(status.code)
        # Percent stages in order of their percent, the others (Отказ/Пауза) after.
        return sorted(stages.values(), key=lambda s: (s.percent is None, s.percent or 0))

    def get(self, code):
        try:
            return self.by_code[code]
        except KeyError:
            raise NotFound(f"unknown status '{code}'") from None

    def allowed(self, code):
        return list(self.moves.get(code, []))

    def needs_comment(self, current, target):
        """A reason is required by the target status node or by a flow on the way to it.

        Answered once per pair of statuses of a diagram: every move and every card's move dialog asks.
        """
        key = (current, target)
        found = self._comment_required.get(key)
        if found is None:
            node = self.graph.nodes[self.get(target).node_id]
            path = self.graph.path_flows(self.get(current).node_id, node.id, lambda n: n.id in self.by_node)
            found = any(fields.parse_bool(item.properties.get("commentRequired")) for item in [node, *path])
            self._comment_required[key] = found
        return found

    @property
    def idle_codes(self):
        """Status codes where a record waits on nobody (ends and ``actionable=false``): not anyone's task."""
        return [s.code for s in self.statuses if not s.actionable]

    @property
    def board(self):
        """The statuses shown as kanban columns."""
        return [s for s in self.statuses if not s.archive]

    @property
    def labels(self):
        """Status code → label in the reader's language, in the drawing's order."""
        return {s.code: s.label for s in self.statuses}

    def first_nodes(self):
        """{status code: the first node drawn with it} (a code may stand on several nodes)."""
        found = {}
        for status in self.statuses:
            found.setdefault(status.code, status.node_id)
        return found

    def node(self, node_id):
        return self.graph.nodes[node_id]

    def status_of(self, instance):
        """The status an instance is in: its ready task, else its waiting timer, else its end."""
        for task in instance.ready_tasks():
            if task.node_id in self.by_node:
                return self.by_node[task.node_id].code
        for node_id, _ in instance.waiting_timers().values():
            if node_id in self.by_node:
                return self.by_node[node_id].code
        for node_id in reversed(reached_ends(instance) if instance.completed else []):
            if node_id in self.by_node:
                return self.by_node[node_id].code
        return None

    def as_dict(self):
        return {
            "statuses": [{"code": s.code, "label": s.label, "stage": s.stage, "stage_label": s.stage_label,
                          "lane": s.lane,
                          "final": s.final, "archive": s.archive, "order": s.order,
                          "moves": self.allowed(s.code)} for s in self.statuses],
            "stages": [{"name": st.name, "label": st.label, "percent": st.percent, "statuses": st.statuses}
                       for st in self.stages],
            "start": self.start_moves,
        }


def _shared_stage_texts(found):
    """A stage translated on one of its statuses is translated on all (a status added later need not repeat it)."""
    shared = {}
    for status in found:
        for key, text in status.texts:
            if key.startswith("stage."):
                shared.setdefault(status.stage, {}).setdefault(key, text)
    return [replace(s, texts=translations({**shared.get(s.stage, {}), **dict(s.texts)})) for s in found]


def _whole(value):
    """A diagram's positive whole number (``rotDays``, ``wipLimit``); None when absent or not one."""
    text = str(value or "").strip()
    return int(text) if re.fullmatch(r"[0-9]{1,6}", text) and int(text) > 0 else None


def stage_percent(stage):
    """The percent a stage name starts with («40% Развитие» → 40), or None."""
    match = _PERCENT.match(stage or "")
    return int(match.group(1)) if match else None


@lru_cache(maxsize=32)
def _model_for_hash(definition_hash, definition_id, model_class):
    definition = definitions.get(definition_id)
    return model_class(definitions.parsed(definition).graph, definition.process_id)


def model_for(definition, model_class=StatusModel):
    """The status model of a definition row (cached by its hash)."""
    return _model_for_hash(definition.hash, definition.id, model_class)


def current_definition(process_id):
    """The newest deployed version of a process; NotFound when it is not deployed."""
    definition = definitions.latest(process_id)
    if definition is None:
        raise NotFound(f"the {process_id} process is not deployed (run `dealflow init`)")
    return definition


def retired_status(process_id, code, model_class=StatusModel):
    """A status the newest diagram no longer has, as the newest version that had it drew it; or None.

    Records on an older version may still sit there (they could not migrate):
    the board shows them in a column of their own and the journal names them.
    """
    for definition in definitions.versions(process_id)[1:]:
        status = model_for(definition, model_class).by_code.get(code)
        if status is not None:
            return status
    return None
