"""In Chromium: the modeler refuses the misleading-routing diagrams, naming the flow or status in Russian."""
import pytest

from tests.analyst import diagrams
from tests.analyst.test_browser import modeler_has, open_modeler

CASES = [
    (diagrams.misspelt_condition, "Flow_0t3nd3r", "Ни один код статуса не удовлетворяет условию"),
    (diagrams.duplicate_condition, "Flow_route_prototype", "Код статуса «presentation» удовлетворяет условиям"),
    (diagrams.unreachable_status, "tender", "В статус «tender» из «route» никогда не попасть"),
]


@pytest.mark.parametrize("make,element_id,words", CASES, ids=["misspelt", "duplicate", "unreachable"])
def test_the_modeler_shows_the_refusal(browser_page, tmp_path, make, element_id, words):
    page = browser_page
    path = tmp_path / "deal.bpmn"
    path.write_bytes(make())
    open_modeler(page)
    page.set_input_files("#bpmn-upload", str(path))
    modeler_has(page, f"!!r.get('{element_id}')")
    page.click("#bpmn-validate")
    page.wait_for_selector(f"g.djs-element.bpmn-error[data-element-id='{element_id}']")
    problems = page.locator(f"#bpmn-problems li[data-element='{element_id}']").all_inner_texts()
    assert any(words in p for p in problems), problems
