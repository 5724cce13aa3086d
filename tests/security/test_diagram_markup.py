"""Markup a diagram never needs (XHTML, SVG, unknown namespaces, processing instructions) is refused.

Every face — the engine, the CLI, the API and the modeler's endpoints — names the element and the
namespace, and nothing is deployed.
"""
import io

import pytest
from lxml import etree

from engine.errors import InvalidDiagram
from engine.parsing import ParsedDiagram
from tests.conftest import BPMN_DIR, bearer
from tests.hostile import deal_source
from tests.security import foreign_markup
from tests.web.conftest import as_user, staff  # noqa: F401
from web.cli import main

CASES = foreign_markup.cases()
IDS = [case[0] for case in CASES]
JSON = {"Accept": "application/json", "Content-Type": "application/xml"}


def _names(problems, element_id, words):
    return any(p["element_id"] == element_id and all(w in p["reason"] for w in words) for p in problems)


@pytest.mark.parametrize("name, source, element_id, words", CASES, ids=IDS)
def test_the_engine_refuses_naming_element_and_namespace(name, source, element_id, words):
    with pytest.raises(InvalidDiagram) as refused:
        ParsedDiagram(source)
    assert _names([p.as_dict() for p in refused.value.problems], element_id, words), refused.value.problems
    assert all("is not allowed in a diagram" in p.reason for p in refused.value.problems)


def test_the_issue_diagram_reads_as_the_issue_says():
    with pytest.raises(InvalidDiagram) as refused:
        ParsedDiagram(foreign_markup.xhtml_script())
    assert [str(p) for p in refused.value.problems] == [
        "new: element h:script (namespace http://www.w3.org/1999/xhtml) is not allowed in a diagram"]


def _with_attribute(node_xpath, name, value, nsmap=None):
    root = etree.fromstring(deal_source())
    node = root.xpath(node_xpath, namespaces={"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
                                              "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI"})[0]
    node.set(name, value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_what_diagrams_are_made_of_still_deploys():
    for path in (*BPMN_DIR.glob("*.bpmn"), BPMN_DIR.parent / "tests/analyst/data/deal_camunda.bpmn"):
        ParsedDiagram(path.read_bytes())  # BPMN, DI, DC, spiffworkflow, camunda, modeler:, xsi:type
    # Colours Camunda Modeler or bpmn-js keep on a shape, and xml:lang, are harmless attributes.
    shape = "//bpmndi:BPMNShape[@bpmnElement='new']"
    ParsedDiagram(_with_attribute(shape, "{http://bpmn.io/schema/bpmn/biocolor/1.0}stroke", "#e53935"))
    ParsedDiagram(_with_attribute(shape, "{http://www.omg.org/spec/BPMN/non-normative/color/1.0}background-color",
                                  "#ffcdd2"))
    ParsedDiagram(_with_attribute("//bpmn:userTask[@id='new']", "{http://www.w3.org/XML/1998/namespace}lang", "ru"))


def test_xsi_allows_only_type():
    source = _with_attribute("//bpmn:userTask[@id='new']",
                             "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", "urn:x x.xsd")
    with pytest.raises(InvalidDiagram) as refused:
        ParsedDiagram(source)
    assert "attribute xsi:schemaLocation" in str(refused.value)


@pytest.mark.parametrize("name, source, element_id, words", CASES, ids=IDS)
def test_cli_validate_and_deploy_refuse(runner, tmp_path, name, source, element_id, words):
    path = tmp_path / "foreign.bpmn"
    path.write_bytes(source)
    for command in ("validate", "deploy"):
        result = runner.invoke(main, args=["process", command, str(path)])
        assert result.exit_code == 3, (command, result.output)
        assert f"{element_id or '-'}: " in result.output or command == "deploy", result.output
        assert all(w in result.output for w in words), (command, result.output)
    listed = runner.invoke(main, args=["process", "list"]).stdout.splitlines()
    assert [line.split("\t")[:2] for line in listed if line.startswith("deal")] == [["deal", "v1"]]


def _api_post(client, token, path, source):
    return client.post(path, data={"file": (io.BytesIO(source), "deal.bpmn")}, headers=bearer(token),
                       content_type="multipart/form-data")


def test_api_validate_and_deploy_refuse(client, tokens):
    for name, source, element_id, words in CASES:
        r = _api_post(client, tokens["analyst"], "/api/v1/processes/validate", source)
        assert r.status_code == 200 and r.json["valid"] is False, name
        assert _names(r.json["errors"], element_id, words), (name, r.json)
        r = _api_post(client, tokens["admin"], "/api/v1/processes", source)
        assert r.status_code == 422 and r.json["error"] == "invalid_diagram", name
        assert _names(r.json["errors"], element_id, words), (name, r.json)
    r = client.get("/api/v1/processes", headers=bearer(tokens["admin"]))
    assert [p["version"] for p in r.json["processes"] if p["process_id"] == "deal"] == [1]


def test_the_modeler_validate_and_deploy_refuse(as_user):  # noqa: F811
    admin = as_user("admin")
    for name, source, element_id, words in CASES:
        r = admin.post("/processes/validate", data=source, headers=JSON)
        assert r.status_code == 200 and r.json["valid"] is False, name
        assert _names(r.json["errors"], element_id, words), (name, r.json)
        r = admin.post("/processes/deploy", data=source, headers=JSON)
        assert r.status_code == 422 and _names(r.json["errors"], element_id, words), (name, r.json)
    assert 'data-version="2"' not in admin.get("/processes/").get_data(as_text=True)
