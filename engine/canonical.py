"""What a process *means*, apart from how its file is written: equal fingerprints, nothing to deploy.

bpmn-js and Camunda Modeler re-serialise a diagram on every save: attributes
in another order, elements in another order, other namespace prefixes, other
indentation, new ids for the diagram-interchange (DI) shapes, shapes moved.
None of it changes how a process runs, so the fingerprint of a process is taken
over a canonical form of its element (and the document's other non-DI
elements, such as messages): DI left out, whitespace-only text dropped, text
stripped, attributes by their qualified names with prefixed values
(``xsi:type="bpmn:tFormalExpression"``) resolved, children sorted. The drawing's
left-to-right order, which the board follows, is compared by the domain.
"""
import hashlib

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_DI_NAMESPACES = {"http://www.omg.org/spec/BPMN/20100524/DI", "http://www.omg.org/spec/DD/20100524/DC",
                  "http://www.omg.org/spec/DD/20100524/DI"}
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def _value(element, name, value):
    if name == _XSI_TYPE and ":" in value:
        prefix, local = value.split(":", 1)
        return f"{{{element.nsmap.get(prefix, prefix)}}}{local}"
    return value


def _form(element):
    """A nested tuple standing for an element, equal for equal meanings."""
    attributes = tuple(sorted((name, _value(element, name, value)) for name, value in element.attrib.items()))
    children = []
    for child in element:
        if not isinstance(child.tag, str) or etree.QName(child).namespace in _DI_NAMESPACES:
            continue  # comments, processing instructions, shapes and edges
        children.append(_form(child))
    text = (element.text or "").strip()
    return (element.tag, attributes, text, tuple(sorted(children, key=repr)))


def fingerprint(root, process_id):
    """The hash of what ``process_id`` in a parsed ``bpmn:definitions`` means."""
    parts = []
    for child in root:
        if not isinstance(child.tag, str) or etree.QName(child).namespace in _DI_NAMESPACES:
            continue
        if child.tag == f"{{{BPMN}}}process" and child.get("id") != process_id:
            continue
        parts.append(_form(child))
    return hashlib.sha256(repr(sorted(parts, key=repr)).encode("utf-8")).hexdigest()
