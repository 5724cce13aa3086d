"""Hostile and broken variants of bpmn/deal.bpmn, each otherwise a deployable diagram."""
from lxml import etree

from tests.conftest import BPMN_DIR

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
XML_DECL = b'<?xml version="1.0" encoding="UTF-8"?>'


def deal_source():
    return (BPMN_DIR / "deal.bpmn").read_bytes()


def add_script_task(process, task_id, name, incoming, outgoing, target, script, lane="manager"):
    """A script task ``task_id`` entered by flow ``incoming``, leaving by a new flow ``outgoing`` to ``target``.

    ``lane=None`` for a diagram without lanes."""
    task = etree.SubElement(process, f"{{{BPMN}}}scriptTask", id=task_id, name=name)
    etree.SubElement(task, f"{{{BPMN}}}incoming").text = incoming
    etree.SubElement(task, f"{{{BPMN}}}outgoing").text = outgoing
    etree.SubElement(task, f"{{{BPMN}}}script").text = script
    etree.SubElement(process, f"{{{BPMN}}}sequenceFlow", id=outgoing, sourceRef=task_id, targetRef=target)
    if lane is not None:
        etree.SubElement(process.find(f".//{{{BPMN}}}lane[@id='{lane}']"), f"{{{BPMN}}}flowNodeRef").text = task_id
    return task


def with_script(script):
    """deal.bpmn with a script task between the plain start and the routing gateway."""
    root = etree.fromstring(deal_source())
    process = root.find(f"{{{BPMN}}}process")
    flow = process.find(f"{{{BPMN}}}sequenceFlow[@id='Flow_start_route']")
    flow.set("targetRef", "prepare")
    add_script_task(process, "prepare", "Подготовка", "Flow_start_route", "Flow_prepare_route", "route", script)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def with_condition(flow_id, condition):
    """deal.bpmn with one sequence flow's condition replaced."""
    root = etree.fromstring(deal_source())
    flow = root.find(f".//{{{BPMN}}}sequenceFlow[@id='{flow_id}']")
    flow.find(f"{{{BPMN}}}conditionExpression").text = condition
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def script_import(marker):
    return with_script(f"__import__('os').system('touch {marker}')\nready = True")


def condition_subclasses(marker):
    walk = ("[c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'Popen'][0]"
            f"(['touch', '{marker}'])")
    return with_condition("Flow_route_new", f"next_status == 'new' or {walk}")


def _with_doctype(doctype, name_value):
    body = deal_source()[len(XML_DECL):]
    body = body.replace(b'<bpmn:process id="deal" name="\xd0\xa1\xd0\xb4\xd0\xb5\xd0\xbb\xd0\xba\xd0\xb0"',
                        b'<bpmn:process id="deal" name="' + name_value + b'"', 1)
    return XML_DECL + b"\n" + doctype + body


def external_entity(path):
    return _with_doctype(f'<!DOCTYPE bpmn:definitions [<!ENTITY xxe SYSTEM "file://{path}">]>\n'.encode(),
                         b"&xxe;")


def billion_laughs():
    lines = ['<!ENTITY lol "lol">']
    for level in range(1, 10):
        previous = "lol" if level == 1 else f"lol{level - 1}"
        lines.append(f'<!ENTITY lol{level} "{("&" + previous + ";") * 10}">')
    doctype = "<!DOCTYPE bpmn:definitions [\n" + "\n".join(lines) + "\n]>\n"
    return _with_doctype(doctype.encode(), b"&lol9;")


def flow_to_missing_node():
    return deal_source().replace(b'targetRef="firstContact"', b'targetRef="ghost"', 1)


def duplicate_status_code():
    # The «Пауза» node claims the code of «Отказ».
    return deal_source().replace(b'<spiffworkflow:property name="status" value="pause" />',
                                 b'<spiffworkflow:property name="status" value="refusal" />', 1)


def malformed_xml():
    return deal_source().replace(b"</bpmn:process>", b"</bpmn:proces>", 1)


def hostile_cases(marker, secret):
    """(name, source, element id named, words in the reason) of each attack; marker must stay absent."""
    return [
        ("external entity", external_entity(secret), "", "DOCTYPE"),
        ("billion laughs", billion_laughs(), "", "DOCTYPE"),
        ("script __import__", script_import(marker), "prepare", "__import__"),
        ("condition __subclasses__", condition_subclasses(marker), "Flow_route_new", "__subclasses__"),
    ]


def broken_cases():
    """(name, source, element id named, words in the reason) of diagrams that are merely wrong."""
    return [
        ("flow to a missing node", flow_to_missing_node(), "Flow_route_firstContact", "ghost"),
        ("duplicate status code", duplicate_status_code(), "refusal", "pause"),
        ("malformed XML", malformed_xml(), "", "line"),
    ]
