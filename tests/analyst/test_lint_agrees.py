"""The modeler's lint (bpmnlint with web/.bpmnlintrc, run by node) and `dealflow process validate` refuse the same
broken diagrams, naming the same element: what the canvas flags while drawing, a deploy refuses too."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from tests.analyst import diagrams
from tests.hostile import deal_source, duplicate_status_code
from web.cli import main

WEB = Path(__file__).resolve().parents[2] / "web"
BPMNLINT = WEB / "node_modules" / "bpmnlint" / "bin" / "bpmnlint.js"


def _without_conditions(source, first_flow):
    """Every flow from ``first_flow`` on (the director's verdict flows) loses its condition."""
    start = source.index(f'<bpmn:sequenceFlow id="{first_flow}"'.encode())
    end = source.index(b"</bpmn:process>")
    rest = re.sub(rb"\s*<bpmn:conditionExpression[^>]*>[^<]*</bpmn:conditionExpression>", b"", source[start:end])
    return source[:start] + rest + source[end:]


def _lane_renamed(source, old, new):
    return source.replace(f'<bpmn:lane id="{old}"'.encode(), f'<bpmn:lane id="{new}"'.encode(), 1) \
        .replace(f'bpmnElement="{old}"'.encode(), f'bpmnElement="{new}"'.encode(), 1)


def _without_flow(source, flow_id):
    """The diagram with a sequence flow gone: the flow, its ends' references to it and its drawn edge."""
    root = etree.fromstring(source)
    doomed = [e for e in root.iter() if isinstance(e.tag, str) and (
        flow_id in (e.get("id"), e.get("bpmnElement"))
        or (etree.QName(e).localname in ("incoming", "outgoing") and (e.text or "").strip() == flow_id))]
    for element in doomed:
        element.getparent().remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# (case, diagram, element both name, bpmnlint rule that flags it, word in the server's reason)
CASES = [
    ("status without a stage",
     deal_source().replace('<spiffworkflow:property name="stage" value="20% Квалификация" />'.encode(), b"", 1),
     "firstContact", "dealflow/status-properties", "no stage"),
    ("empty status code",
     deal_source().replace(b'name="status" value="presentation"', b'name="status" value=""', 1),
     "presentation", "dealflow/status-properties", "empty status code"),
    ("two statuses with one code", duplicate_status_code(), "refusal", "dealflow/status-properties", "also used"),
    ("routing flow without a condition",
     deal_source().replace(b"<bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\">next_status == 'pause'"
                           b"</bpmn:conditionExpression>", b"", 1),
     "Flow_route_pause", "conditional-flows", "without condition"),
    ("verdict flows without conditions", _without_conditions(deal_source(), "Flow_decide_completed"),
     "Flow_decide_offerPreparation", "dealflow/routing-conditions", "without condition"),
    ("decision task outside the director lane", diagrams.decision_in_manager_lane(),
     "decision", "dealflow/decision-in-director-lane", "director"),
    ("status in a lane that is no role", _lane_renamed(deal_source(), "manager", "sales"),
     "prototype", "dealflow/status-lane", "lane 'sales'"),
    ("status the routing gateway does not reach", _without_flow(deal_source(), "Flow_route_old"),
     "old", "dealflow/entered-from-start", "cannot be entered from the plain start"),
]


def bpmnlint(path):
    """(exit code, [(element id, category, rule)]) of the command-line bpmnlint run in web/ with its .bpmnlintrc."""
    node = shutil.which("node")
    assert node, "node is needed: it builds the web assets and runs the modeler's lint"
    done = subprocess.run([node, str(BPMNLINT), str(path)], cwd=WEB, capture_output=True, text=True, timeout=60)
    found = []
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in ("error", "warning"):
            found.append((parts[0], parts[1], parts[-1]))
    return done.returncode, found


def test_the_shipped_diagrams_lint_clean():
    for path in sorted((WEB.parent / "bpmn").glob("*.bpmn")):
        code, found = bpmnlint(path)
        assert code == 0 and found == [], (path.name, found)


@pytest.mark.parametrize("case, source, element_id, rule, word", CASES, ids=[c[0] for c in CASES])
def test_lint_and_server_refuse_the_same_diagram(runner, tmp_path, case, source, element_id, rule, word):
    path = tmp_path / "deal.bpmn"
    path.write_bytes(source)
    code, found = bpmnlint(path)
    assert code != 0 and (element_id, "error", rule) in found, found
    result = runner.invoke(main, args=["process", "validate", str(path)])
    assert result.exit_code != 0
    named = [line for line in result.output.splitlines() if line.startswith(element_id + ":")]
    assert named and any(word in line for line in named), result.output
