"""A plain, read-only view of a BPMN document's nodes, lanes, flows and layout.

The domain layers read statuses, lanes and allowed moves from here, so they
never need SpiffWorkflow objects and the diagram stays the single source.
"""
from dataclasses import dataclass, field

from lxml import etree

from engine.errors import DiagramProblem

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS = {
    "bpmn": BPMN,
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
    "camunda": "http://camunda.org/schema/1.0/bpmn",
}

# Flow nodes: every element a sequence flow may connect.
FLOW_NODE_KINDS = {
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask",
    "businessRuleTask", "callActivity", "subProcess", "transaction",
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway", "complexGateway",
}
GATEWAY_KINDS = {k for k in FLOW_NODE_KINDS if k.endswith("Gateway")}


@dataclass
class Flow:
    id: str
    source: str
    target: str
    name: str = ""
    condition: str = ""
    properties: dict = field(default_factory=dict)


@dataclass
class Node:
    id: str
    kind: str
    name: str
    process_id: str
    lane_id: str = ""
    lane_name: str = ""
    properties: dict = field(default_factory=dict)
    bounds: tuple = None  # (x, y, width, height) from the diagram interchange
    events: tuple = ()    # event definition kinds: "message", "timer", ...
    message: str = ""     # the message name of a message event
    outgoing: list = field(default_factory=list)
    incoming: list = field(default_factory=list)

    @property
    def is_gateway(self):
        return self.kind in GATEWAY_KINDS


def _properties(element):
    """The extension properties of an element as a dict.

    Camunda Modeler writes them as camunda:properties, bpmn.io/SpiffArena as
    spiffworkflow:properties; both are read (the spiffworkflow value wins).
    """
    found = {}
    for prefix in ("camunda", "spiffworkflow"):
        for prop in element.xpath(f"./bpmn:extensionElements/{prefix}:properties/{prefix}:property", namespaces=NS):
            found[prop.get("name")] = prop.get("value", "")
    return found


def _local(element):
    return etree.QName(element).localname


class DiagramGraph:
    """Nodes and flows of every process in one BPMN document."""

    def __init__(self, root):
        self.nodes = {}
        self.flows = {}
        self.processes = {}
        self._problems = []
        messages = {m.get("id"): m.get("name") or m.get("id")
                    for m in root.xpath("./bpmn:message", namespaces=NS)}
        bounds = self._read_bounds(root)
        for process in root.xpath("./bpmn:process", namespaces=NS):
            self._read_process(process, messages, bounds)

    @staticmethod
    def _read_bounds(root):
        result = {}
        for shape in root.xpath(".//bpmndi:BPMNShape[@bpmnElement]", namespaces=NS):
            box = shape.find("dc:Bounds", namespaces=NS)
            if box is not None:
                try:
                    result[shape.get("bpmnElement")] = tuple(
                        float(box.get(a, 0)) for a in ("x", "y", "width", "height"))
                except ValueError:
                    continue
        return result

    def _read_process(self, process, messages, bounds):
        process_id = process.get("id")
        self.processes[process_id] = {"name": process.get("name") or process_id,
                                      "executable": process.get("isExecutable") == "true",
                                      "properties": _properties(process)}
        lanes = {}
        for lane in process.xpath(".//bpmn:lane", namespaces=NS):
            for ref in lane.xpath("./bpmn:flowNodeRef", namespaces=NS):
                lanes[(ref.text or "").strip()] = (lane.get("id"), lane.get("name") or lane.get("id"))
        # Descendants too: nodes inside sub-processes belong to the same graph.
        for element in process.iter():
            if not isinstance(element.tag, str) or etree.QName(element).namespace != BPMN:
                continue
            kind = _local(element)
            if kind in FLOW_NODE_KINDS:
                self._add_node(element, kind, process_id, lanes, messages, bounds)
            elif kind == "sequenceFlow":
                cond = element.find("bpmn:conditionExpression", namespaces=NS)
                flow = Flow(element.get("id"), element.get("sourceRef"), element.get("targetRef"),
                            element.get("name") or "", (cond.text or "").strip() if cond is not None else "",
                            _properties(element))
                self.flows[flow.id] = flow
        for flow in self.flows.values():
            if flow.source in self.nodes:
                self.nodes[flow.source].outgoing.append(flow)
            if flow.target in self.nodes:
                self.nodes[flow.target].incoming.append(flow)

    def _add_node(self, element, kind, process_id, lanes, messages, bounds):
        node_id = element.get("id")
        if node_id in self.nodes:
            self._problems.append(DiagramProblem(node_id, "duplicate element id"))
            return
        props = _properties(element)
        events, message = [], ""
        for definition in element:
            if isinstance(definition.tag, str) and _local(definition).endswith("EventDefinition"):
                events.append(_local(definition)[: -len("EventDefinition")])
                if definition.get("messageRef"):
                    message = messages.get(definition.get("messageRef"), definition.get("messageRef"))
        lane_id, lane_name = lanes.get(node_id, ("", ""))
        self.nodes[node_id] = Node(node_id, kind, element.get("name") or "", process_id, lane_id,
                                   lane_name, props, bounds.get(node_id), tuple(events), message)

    def structural_problems(self):
        """Flows that name missing nodes, duplicate ids: things the schema allows."""
        problems = list(self._problems)
        for flow in self.flows.values():
            for end, ref in (("source", flow.source), ("target", flow.target)):
                if not ref or ref not in self.nodes:
                    problems.append(DiagramProblem(flow.id, f"sequence flow {end} '{ref}' is not a node"))
        return problems

    def process_nodes(self, process_id):
        return [n for n in self.nodes.values() if n.process_id == process_id]

    def reachable(self, node_id, stop):
        """Nodes reached from node_id by following flows, not passing nodes where stop(node)."""
        found, seen, queue = [], {node_id}, [f.target for f in self.nodes[node_id].outgoing]
        while queue:
            current = queue.pop(0)
            if current in seen or current not in self.nodes:
                continue
            seen.add(current)
            node = self.nodes[current]
            if stop(node):
                found.append(node)
            else:
                queue.extend(f.target for f in node.outgoing)
        return found

    def path_flows(self, source_id, target_id, stop):
        """The flows of a shortest path from source to target not passing nodes where stop(node)."""
        came_by, queue = {source_id: None}, [source_id]
        while queue:
            current = queue.pop(0)
            for flow in self.nodes[current].outgoing:
                if flow.target in came_by or flow.target not in self.nodes:
                    continue
                came_by[flow.target] = flow
                if flow.target == target_id:
                    path, node = [], target_id
                    while came_by[node] is not None:
                        path.append(came_by[node])
                        node = came_by[node].source
                    return path[::-1]
                if not stop(self.nodes[flow.target]):
                    queue.append(flow.target)
        return []

    def can_reach_end(self, node_id):
        """True when some path of flows leads from node_id to an end event."""
        seen, queue = set(), [node_id]
        while queue:
            current = queue.pop()
            if current in seen or current not in self.nodes:
                continue
            seen.add(current)
            if self.nodes[current].kind == "endEvent":
                return True
            queue.extend(f.target for f in self.nodes[current].outgoing)
        return False
