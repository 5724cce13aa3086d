"""Deal diagrams for the analyst tests: the Camunda-Modeler-style file and broken variants of deal.bpmn."""
from pathlib import Path

from lxml import etree

from tests.hostile import BPMN, add_script_task, deal_source

NS = {"bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI", "di": "http://www.omg.org/spec/DD/20100524/DI",
      "dc": "http://www.omg.org/spec/DD/20100524/DC"}

DATA = Path(__file__).resolve().parent / "data"


def camunda_tender():
    """A hand-written Camunda Modeler style deal diagram with «Тендер» between «Подготовка КП» and «Прототип»."""
    return (DATA / "deal_camunda.bpmn").read_bytes()


def without_prototype():
    """The Camunda diagram with «Прототип» removed: deals sitting there cannot migrate to it."""
    source = camunda_tender().decode()
    for cut in ('        <bpmn:flowNodeRef>prototype</bpmn:flowNodeRef>\n',
                '      <bpmn:outgoing>Flow_route_prototype</bpmn:outgoing>\n',
                '      <bpmn:incoming>Flow_prototype_route</bpmn:incoming>\n'):
        source = source.replace(cut, "", 1)
    start = source.index('    <bpmn:userTask id="prototype"')
    source = source[:start] + source[source.index("</bpmn:userTask>", start) + len("</bpmn:userTask>\n"):]
    for flow in ("Flow_prototype_route", "Flow_route_prototype"):
        start = source.index(f'<bpmn:sequenceFlow id="{flow}"')
        end = source.index("</bpmn:sequenceFlow>", start) + len("</bpmn:sequenceFlow>") \
            if "/>" not in source[start:source.index(">", start) + 1] else source.index("/>", start) + 2
        source = source[:start] + source[end:]
    return source.replace("Сделка", "Сделка без прототипа", 1).encode()


def condition_not_compiling():
    return deal_source().replace(b"next_status == 'presentation'", b"next_status == 'presentation' and (", 1)


def dead_end_status():
    """«Прототип» no longer flows back to the routing gateway: it cannot reach an end."""
    return deal_source().replace(b'<bpmn:sequenceFlow id="Flow_prototype_route" sourceRef="prototype" '
                                 b'targetRef="route" />', b"", 1)


def decision_in_manager_lane():
    """The decision task (the status that leads to «Завершена») moved into the manager's lane."""
    source = deal_source().replace(b"        <bpmn:flowNodeRef>decision</bpmn:flowNodeRef>\n", b"", 1)
    return source.replace(b"        <bpmn:flowNodeRef>old</bpmn:flowNodeRef>\n",
                          b"        <bpmn:flowNodeRef>old</bpmn:flowNodeRef>\n"
                          b"        <bpmn:flowNodeRef>decision</bpmn:flowNodeRef>\n", 1)


def misspelt_condition():
    """«Тендер» routed on ``next_status == 'tendr'``: no move ever takes the flow into it."""
    return camunda_tender().replace(b"next_status == 'tender'", b"next_status == 'tendr'", 1)


def duplicate_condition():
    """The flow into «Прототип» also takes ``presentation``: that code satisfies two flows."""
    return deal_source().replace(b"next_status == 'prototype'", b"next_status in ('prototype', 'presentation')", 1)


def unreachable_status():
    """The conditions into «Тендер» and «Прототип» swapped: ``next_status == 'tender'`` lands in «Прототип»."""
    source = camunda_tender().replace(b"next_status == 'tender'", b"next_status == 'SWAP'", 1)
    source = source.replace(b"next_status == 'prototype'", b"next_status == 'tender'", 1)
    return source.replace(b"next_status == 'SWAP'", b"next_status == 'prototype'", 1)


def routing_broken():
    """(name, source, element id named, words in its reason) of the diagrams whose routing misleads a move."""
    return [
        ("misspelt condition", misspelt_condition(), "Flow_0t3nd3r", ("tendr", "tender")),
        ("duplicate condition", duplicate_condition(), "Flow_route_prototype", ("presentation", "Flow_route_presentation")),
        ("unreachable status", unreachable_status(), "tender", ("tender", "never reached")),
    ]


def broken():
    """(name, source, element id named, word in the reason) of each refused diagram."""
    from tests import hostile
    return [
        ("flow to a missing node", hostile.flow_to_missing_node(), "Flow_route_firstContact", "ghost"),
        ("two nodes with one status code", hostile.duplicate_status_code(), "refusal", "pause"),
        ("condition that does not compile", condition_not_compiling(), "Flow_route_presentation", "refused"),
        ("status that cannot reach an end", dead_end_status(), "prototype", "cannot reach an end"),
        ("decision outside the director lane", decision_in_manager_lane(), "decision", "director"),
        ("malformed XML", hostile.malformed_xml(), "", "malformed XML"),
    ] + [(name, source, element_id, words[0]) for name, source, element_id, words in routing_broken()]


SCORING = "score = 100 // weight if next_status == 'presentation' else 0"


def with_failing_script(script=SCORING):
    """deal.bpmn with a script task «Оценка» on the way out of «Первичный контакт», drawn.

    The default script fails only for a move to «Презентация» and only while
    the task data has no ``weight``: a deal gets stuck there, an analyst adds
    ``weight`` to the task data and retries.
    """
    bpmndi, omg_di, dc = NS["bpmndi"], NS["di"], NS["dc"]
    root = etree.fromstring(deal_source())
    process = root.find(f"{{{BPMN}}}process")
    flow = process.find(f"{{{BPMN}}}sequenceFlow[@id='Flow_firstContact_route']")
    flow.set("targetRef", "scoring")
    route = process.find(f"{{{BPMN}}}exclusiveGateway[@id='route']")
    route.find(f"{{{BPMN}}}incoming[.='Flow_firstContact_route']").text = "Flow_scoring_route"
    add_script_task(process, "scoring", "Оценка", "Flow_firstContact_route", "Flow_scoring_route", "route", script)
    plane = root.find(f".//{{{bpmndi}}}BPMNPlane")
    shape = etree.SubElement(plane, f"{{{bpmndi}}}BPMNShape", id="scoring_di", bpmnElement="scoring")
    etree.SubElement(shape, f"{{{dc}}}Bounds", x="430", y="260", width="100", height="60")
    edge = plane.find(f"{{{bpmndi}}}BPMNEdge[@bpmnElement='Flow_firstContact_route']")
    for point in list(edge):
        edge.remove(point)
    for x, y in ((480, 220), (480, 260)):
        etree.SubElement(edge, f"{{{omg_di}}}waypoint", x=str(x), y=str(y))
    edge = etree.SubElement(plane, f"{{{bpmndi}}}BPMNEdge", id="Flow_scoring_route_di",
                            bpmnElement="Flow_scoring_route")
    for x, y in ((480, 320), (480, 370), (1060, 370), (1060, 440), (1075, 440)):
        etree.SubElement(edge, f"{{{omg_di}}}waypoint", x=str(x), y=str(y))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def with_stale_timer(script=None):
    """deal.bpmn where a deal left in «Первичный контакт» for a day goes to «Пауза» by itself.

    A boundary timer on the status task (as an analyst draws one in the modeler),
    its flow to «Пауза»; with ``script`` a script task «Отметка» runs on the way.
    """
    bpmndi, omg_di, dc = NS["bpmndi"], NS["di"], NS["dc"]
    root = etree.fromstring(deal_source())
    process = root.find(f"{{{BPMN}}}process")
    timer = etree.SubElement(process, f"{{{BPMN}}}boundaryEvent", id="stale", name="Сутки без движения",
                             attachedToRef="firstContact")
    etree.SubElement(timer, f"{{{BPMN}}}outgoing").text = "Flow_stale"
    duration = etree.SubElement(etree.SubElement(timer, f"{{{BPMN}}}timerEventDefinition"),
                                f"{{{BPMN}}}timeDuration")
    duration.text = '"P1D"'
    pause = process.find(f"{{{BPMN}}}userTask[@id='pause']")
    lane = process.find(f".//{{{BPMN}}}lane[@id='manager']")
    etree.SubElement(lane, f"{{{BPMN}}}flowNodeRef").text = "stale"
    target = "pause"
    if script is not None:
        target = "mark"
        add_script_task(process, "mark", "Отметка", "Flow_stale", "Flow_mark_pause", "pause", script)
    etree.SubElement(process, f"{{{BPMN}}}sequenceFlow", id="Flow_stale", sourceRef="stale", targetRef=target)
    incoming = etree.Element(f"{{{BPMN}}}incoming")
    incoming.text = "Flow_mark_pause" if script is not None else "Flow_stale"
    pause.find(f"{{{BPMN}}}outgoing").addprevious(incoming)  # the schema wants incoming before outgoing
    plane = root.find(f".//{{{bpmndi}}}BPMNPlane")
    shapes = [("stale", 462, 252, 36, 36)] + ([("mark", 430, 320, 100, 60)] if script is not None else [])
    for element, x, y, width, height in shapes:
        shape = etree.SubElement(plane, f"{{{bpmndi}}}BPMNShape", id=f"{element}_di", bpmnElement=element)
        etree.SubElement(shape, f"{{{dc}}}Bounds", x=str(x), y=str(y), width=str(width), height=str(height))
    flows = [("Flow_stale", ((480, 288), (480, 320)))]
    if script is not None:
        flows.append(("Flow_mark_pause", ((480, 380), (480, 420))))
    for flow, points in flows:
        edge = etree.SubElement(plane, f"{{{bpmndi}}}BPMNEdge", id=f"{flow}_di", bpmnElement=flow)
        for x, y in points:
            etree.SubElement(edge, f"{{{omg_di}}}waypoint", x=str(x), y=str(y))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
