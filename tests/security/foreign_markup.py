"""deal.bpmn carrying markup a diagram never needs: each variant would otherwise deploy.

Each case is (name, source, element id named, words in the reason).
"""
from tests.hostile import XML_DECL, deal_source

XHTML = "http://www.w3.org/1999/xhtml"
# The attack: read the CSRF token of the admin who opens the diagram and post as them.
SCRIPT = ("fetch('/directories/sources').then(r => r.text()).then(t => { const token = "
          "t.match(/csrf-token\" content=\"([^\"]+)/)[1]; fetch('/directories/sources', {method: 'POST', "
          "headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: 'name=pwned&csrf_token=' + token}); })")
NEW_TASK_EXTENSIONS = b'<bpmn:userTask id="new" name="\xd0\x9d\xd0\xb5 \xd0\xbe\xd0\xb1\xd1\x80\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82\xd0\xb0\xd0\xbd\xd0\xb0">\n      <bpmn:extensionElements>'


def _into_new_task(markup):
    source = deal_source()
    assert NEW_TASK_EXTENSIONS in source
    return source.replace(NEW_TASK_EXTENSIONS, NEW_TASK_EXTENSIONS + markup.encode(), 1)


def xhtml_script():
    """The issue's diagram: an XHTML script inside a task's extensionElements."""
    return _into_new_task(f'<h:script xmlns:h="{XHTML}"><![CDATA[{SCRIPT}]]></h:script>')


def unknown_element():
    return _into_new_task('<x:payload xmlns:x="urn:example:other">data</x:payload>')


def svg_onload():
    return _into_new_task('<svg:svg xmlns:svg="http://www.w3.org/2000/svg" onload="alert(1)"/>')


def foreign_attribute():
    """A foreign namespace declared on a task and an event-handler attribute in it."""
    return deal_source().replace(b'<bpmn:userTask id="firstContact"',
                                 b'<bpmn:userTask xmlns:x="urn:example:x" x:onload="alert(1)" id="firstContact"', 1)


def stylesheet_instruction():
    """An XSLT stylesheet a browser would apply when rendering the XML."""
    return deal_source().replace(XML_DECL, XML_DECL + b'\n<?xml-stylesheet type="text/xsl" href="data:,x"?>', 1)


def instruction_inside():
    return _into_new_task("<?php echo 1; ?>")


def cases():
    return [
        ("xhtml script", xhtml_script(), "new", ["element h:script", XHTML]),
        ("unknown namespace", unknown_element(), "new", ["element x:payload", "urn:example:other"]),
        ("svg with onload", svg_onload(), "new", ["element svg:svg", "http://www.w3.org/2000/svg"]),
        ("foreign attribute", foreign_attribute(), "firstContact", ["attribute x:onload", "urn:example:x"]),
        ("xml-stylesheet", stylesheet_instruction(), "", ["processing instruction <?xml-stylesheet?>"]),
        ("instruction inside", instruction_inside(), "new", ["processing instruction <?php?>"]),
    ]
