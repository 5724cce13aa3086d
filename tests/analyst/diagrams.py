"""Deal diagrams for the analyst tests: the Camunda-Modeler-style file and broken variants of deal.bpmn."""
from pathlib import Path

from tests.hostile import deal_source

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
    ]
