"""Parse BPMN safely and turn every problem into one naming an element.

lxml is told to resolve no entities, load no DTD and touch no network, and any
DOCTYPE is refused outright (external entities and "billion laughs" need one).
The document is then checked against the BPMN schema, parsed by SpiffWorkflow
and every piece of code in it compiled by the restricted script engine.
"""
import ast
import hashlib
import re
import threading
from collections import OrderedDict

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.specs.ExclusiveChoice import ExclusiveChoice
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from engine import canonical, timer_values
from engine.errors import DiagramProblem, InvalidDiagram
from engine.graph import DiagramGraph
from engine.scripting import RestrictedCodeError, compile_expression, compile_script

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
MAX_SOURCE_BYTES = 5 * 1024 * 1024

# (xpath to the code element, "eval" or "exec")
_CODE_PATHS = (
    (".//bpmn:conditionExpression", "eval"),
    (".//bpmn:scriptTask/bpmn:script", "exec"),
    (".//spiffworkflow:preScript", "exec"),
    (".//spiffworkflow:postScript", "exec"),
    (".//bpmn:timeDate", "eval"),
    (".//bpmn:timeDuration", "eval"),
    (".//bpmn:timeCycle", "eval"),
    (".//spiffworkflow:messagePayload", "eval"),
    (".//bpmn:loopCardinality", "eval"),
    (".//bpmn:completionCondition", "eval"),
)


def source_hash(source):
    return hashlib.sha256(source).hexdigest()


def _xml_parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False)


def parse_xml(source):
    """Parse XML bytes with entities, DTDs and network off; refuse any DOCTYPE."""
    if isinstance(source, str):
        source = source.encode("utf-8")
    if len(source) > MAX_SOURCE_BYTES:
        raise InvalidDiagram.single("", f"diagram larger than {MAX_SOURCE_BYTES} bytes")
    if _DOCTYPE.search(source):
        raise InvalidDiagram.single("", "a DOCTYPE is not allowed in BPMN (entities and DTDs are refused)")
    try:
        root = etree.fromstring(source, parser=_xml_parser())
    except etree.XMLSyntaxError as exc:
        raise InvalidDiagram.single("", f"malformed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise InvalidDiagram.single("", "a DOCTYPE is not allowed in BPMN")
    if etree.QName(root).namespace != NS["bpmn"] or etree.QName(root).localname != "definitions":
        raise InvalidDiagram.single("", "the document is not BPMN 2.0 (no bpmn:definitions root)")
    return root


def _element_at_line(root, line):
    """The id of the last element with an id starting at or before a source line, if any.

    A schema error points at a child without an id (a bad attribute of a
    ``conditionExpression``, an unknown tag): its nearest preceding element
    with an id is the one the modeler can highlight.
    """
    found = ""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.sourceline and element.sourceline > line:
            break
        if element.get("id") and etree.QName(element).namespace == NS["bpmn"]:
            found = element.get("id")
    return found


def _owner_id(element):
    while element is not None:
        if element.get("id") and etree.QName(element).namespace == NS["bpmn"] \
                and etree.QName(element).localname not in ("conditionExpression", "script"):
            return element.get("id")
        element = element.getparent()
    return ""


def _check_schema(root):
    try:
        VALIDATOR.validate(root)
    except ValidationException as exc:
        line = getattr(exc, "line_number", None) or 0
        raise InvalidDiagram.single(_element_at_line(root, line), f"BPMN schema: {exc}") from None


# What a diagram may be made of: namespace -> (elements allowed, attribute names allowed or None for any).
# Anything else is data nobody meant to deploy — or markup a browser would run (XHTML, SVG, XSLT).
_DIAGRAM_NAMESPACES = {
    NS["bpmn"]: (True, None),
    NS["bpmndi"]: (True, None),
    NS["dc"]: (True, None),
    "http://www.omg.org/spec/DD/20100524/DI": (True, None),
    NS["spiffworkflow"]: (True, None),
    # Camunda Modeler's extension (engine.graph reads camunda:properties) and its modeler attributes.
    "http://camunda.org/schema/1.0/bpmn": (True, None),
    "http://camunda.org/schema/modeler/1.0": (False, None),
    # Colours bpmn-js and Camunda Modeler keep on shapes: presentation attributes, never elements.
    "http://bpmn.io/schema/bpmn/biocolor/1.0": (False, None),
    "http://www.omg.org/spec/BPMN/non-normative/color/1.0": (False, None),
    "http://www.w3.org/2001/XMLSchema-instance": (False, {"type"}),
    "http://www.w3.org/XML/1998/namespace": (False, None),
}
_NOT_ALLOWED = "is not allowed in a diagram"


def _qualified(element, name):
    """``prefix:local`` of an element's or attribute's name, as the source wrote it."""
    qname = etree.QName(name)
    prefix = next((p for p, uri in element.nsmap.items() if p and uri == qname.namespace), None)
    return f"{prefix}:{qname.localname}" if prefix else qname.localname


def _is_instruction(node):
    return node.tag is etree.ProcessingInstruction


def _check_namespaces(root):
    """Refuse processing instructions and elements or attributes outside the namespaces a diagram uses.

    The schema lets any foreign element into ``extensionElements`` and any
    foreign attribute onto most elements: an ``<h:script>`` there is valid
    BPMN that a browser would run. Each problem names the nearest BPMN element
    with an id and the foreign namespace.
    """
    problems = [DiagramProblem("", f"processing instruction <?{node.target}?> {_NOT_ALLOWED}")
                for node in (*root.itersiblings(preceding=True), *root.itersiblings()) if _is_instruction(node)]
    for node in root.iter():
        if _is_instruction(node):
            problems.append(DiagramProblem(_nearest_id(node.getparent()),
                                           f"processing instruction <?{node.target}?> {_NOT_ALLOWED}"))
            continue
        if not isinstance(node.tag, str):
            continue  # a comment
        namespace = etree.QName(node).namespace
        if not _DIAGRAM_NAMESPACES.get(namespace, (False, None))[0]:
            problems.append(DiagramProblem(_nearest_id(node), f"element {_qualified(node, node.tag)} "
                                           f"(namespace {namespace or 'none'}) {_NOT_ALLOWED}"))
        for name in node.attrib:
            namespace = etree.QName(name).namespace
            if namespace is None:
                continue  # unqualified attributes belong to their element
            allowed = _DIAGRAM_NAMESPACES.get(namespace)
            if allowed is None or (allowed[1] is not None and etree.QName(name).localname not in allowed[1]):
                problems.append(DiagramProblem(_nearest_id(node), f"attribute {_qualified(node, name)} "
                                               f"(namespace {namespace}) {_NOT_ALLOWED}"))
    if problems:
        raise InvalidDiagram(problems)


def _nearest_id(element):
    """The id of the BPMN element a node is in (a shape or edge names its element), for highlighting."""
    while element is not None:
        if isinstance(element.tag, str) and etree.QName(element).namespace in (NS["bpmn"], NS["bpmndi"]):
            found = element.get("bpmnElement") or element.get("id")
            if found:
                return found
        element = element.getparent()
    return ""


def _check_code(root):
    problems = []
    for path, mode in _CODE_PATHS:
        for element in root.xpath(path, namespaces=NS):
            text = (element.text or "").strip()
            if not text:
                continue
            try:
                compile_expression(text) if mode == "eval" else compile_script(text)
            except (RestrictedCodeError, SyntaxError) as exc:
                kind = "expression" if mode == "eval" else "script"
                problems.append(DiagramProblem(_owner_id(element), f"{kind} refused: {exc}"))
                continue
            timer = _TIMER_KINDS.get(etree.QName(element).localname)
            reason = timer and _constant_timer_problem(timer, text)
            if reason:
                problems.append(DiagramProblem(_owner_id(element), f"timer refused: {reason}"))
    return problems


_TIMER_KINDS = {"timeDate": "date", "timeDuration": "duration", "timeCycle": "cycle"}


def _constant_timer_problem(kind, text):
    """Why a constant timer expression (``"P2D"``) is unusable, or None (also for a computed one)."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None  # computed from data: checked when it is evaluated
    try:
        timer_values.check(kind, value)
    except ValueError as exc:
        return str(exc)
    return None


def _spiff_parse(root, filename):
    parser = SpiffBpmnParser()
    try:
        parser.add_bpmn_xml(root.getroottree(), filename=filename)
        specs = {}
        for process_id in parser.get_process_ids():
            process_parser = parser.get_process_parser(process_id)
            if not process_parser.process_executable:
                continue
            specs[process_id] = (parser.get_spec(process_id), parser.get_subprocess_specs(process_id))
    except ValidationException as exc:
        raise InvalidDiagram.single(getattr(exc, "id", "") or "", str(exc).split("\n")[0]) from None
    except SpiffWorkflowException as exc:
        raise InvalidDiagram.single(getattr(exc, "id", "") or "", str(exc)) from None
    except (KeyError, AttributeError, ValueError, TypeError) as exc:
        raise InvalidDiagram.single("", f"SpiffWorkflow could not parse the diagram: {exc!r}") from None
    if not specs:
        raise InvalidDiagram.single("", "the diagram has no executable process (isExecutable=\"true\")")
    for spec, subprocess_specs in specs.values():
        for process_spec in (spec, *subprocess_specs.values()):
            _no_exclusive_predictions(process_spec)
    return parser, specs


def _no_exclusive_predictions(process_spec):
    """Exclusive gateways predict no branches ahead of running.

    SpiffWorkflow otherwise adds a MAYBE task for every way out of a gateway
    (and beyond) each time a task before it completes, only to drop all but
    one when the gateway runs: for a routing gateway with a dozen ways out,
    most of each move's work and of the stored tree. An empty ``choice`` makes
    the prediction hook add nothing; the gateway's run ignores ``choice`` and
    still takes the flow its conditions pick.
    """
    for task_spec in process_spec.task_specs.values():
        if isinstance(task_spec, ExclusiveChoice):
            task_spec.choice = ()


class ParsedDiagram:
    """A parsed BPMN document: SpiffWorkflow specs plus a plain graph of its nodes."""

    def __init__(self, source, filename="diagram.bpmn"):
        if isinstance(source, str):
            source = source.encode("utf-8")
        self.source = source
        self.hash = source_hash(source)
        root = parse_xml(source)
        _check_schema(root)
        _check_namespaces(root)
        self.graph = DiagramGraph(root)
        problems = self.graph.structural_problems() + _check_code(root)
        if problems:
            raise InvalidDiagram(problems)
        self.parser, self.specs = _spiff_parse(root, filename)
        self.fingerprints = {process_id: canonical.fingerprint(root, process_id) for process_id in self.specs}

    @property
    def process_ids(self):
        return list(self.specs)

    def spec(self, process_id):
        return self.specs[process_id]


class _SpecCache:
    """Parsed diagrams by source hash: parsing is the costly part of a run."""

    def __init__(self, size=64):
        self._items = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, source):
        source = source if isinstance(source, bytes) else source.encode("utf-8")
        return self.get_by_hash(source_hash(source), lambda: source)

    def get_by_hash(self, key, load_source):
        """The parsed diagram of a hash; ``load_source()`` is called only on a miss."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        parsed = ParsedDiagram(load_source())
        with self._lock:
            self._items[parsed.hash] = parsed
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return parsed

    def clear(self):
        with self._lock:
            self._items.clear()


spec_cache = _SpecCache()
