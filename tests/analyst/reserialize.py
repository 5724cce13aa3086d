"""deal.bpmn written again the way a modeler might: same meaning, other bytes."""
from lxml import etree

DI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
OMG_DI = "http://www.omg.org/spec/DD/20100524/DI"


def reserialized(source, shift=7):
    """Attributes reversed, process elements in reverse order, DI ids renamed, shapes shifted, no indentation."""
    root = etree.fromstring(source, etree.XMLParser(remove_blank_text=True))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        items = list(element.attrib.items())[::-1]
        element.attrib.clear()
        for name, value in items:
            element.set(name, value)
        namespace = etree.QName(element).namespace
        if namespace == DI and element.get("id"):
            element.set("id", "DI_" + element.get("id")[::-1])
        if namespace == DC and etree.QName(element).localname == "Bounds":
            element.set("x", str(float(element.get("x")) + shift))
        if namespace == OMG_DI and etree.QName(element).localname == "waypoint":
            element.set("x", str(float(element.get("x")) + shift))
    process = root.find("{http://www.omg.org/spec/BPMN/20100524/MODEL}process")
    children = [c for c in process if etree.QName(c).localname not in ("laneSet", "extensionElements")]
    for child in children:
        process.remove(child)
    for child in children[::-1]:
        process.append(child)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
