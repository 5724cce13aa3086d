"""`dealflow process deploy`: hostile and broken diagrams refused naming the element, nothing runs."""
import pytest

from engine import definitions
from engine.db import db
from engine.instances import Instance
from processes import deals
from tests import hostile
from web.cli import main


@pytest.fixture
def deploy(runner, tmp_path):
    def run(source, name="diagram.bpmn"):
        path = tmp_path / name
        path.write_bytes(source)
        return runner.invoke(main, args=["process", "deploy", str(path), "--as", "analyst"])
    return run


def deal_version():
    db.session.rollback()
    return definitions.latest("deal").version


def test_hostile_diagrams_are_refused_and_nothing_runs(deploy, people, tmp_path, ctx):
    marker, secret = tmp_path / "pwned", tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-4711")
    for name, source, element_id, word in hostile.hostile_cases(marker, secret):
        result = deploy(source)
        assert result.exit_code == 3, (name, result.output)
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("error (invalid_diagram): ") and word in line, (name, line)
        assert element_id in line and "TOP-SECRET" not in result.output
        assert deal_version() == 1
    # Deals keep starting and moving on the version that stayed.
    deal = deals.create_deal({"company": "ООО «Проверка»"}, people["manager"])
    db.session.commit()
    assert deal.status == "new" and not marker.exists()


def test_broken_diagrams_are_refused_naming_the_element(deploy, ctx):
    for name, source, element_id, word in hostile.broken_cases():
        result = deploy(source)
        assert result.exit_code == 3, (name, result.output)
        [line] = result.stderr.strip().splitlines()
        assert not element_id or f"{element_id}: " in line
        assert word in line, (name, line)
        assert deal_version() == 1


def test_a_good_diagram_deploys_as_a_new_version_and_running_deals_stay(deploy, runner, people, ctx):
    old = deals.create_deal({"company": "ООО «Старая»"}, people["manager"])
    db.session.commit()
    result = deploy(hostile.with_script("prepared = 'yes'"))
    assert result.exit_code == 0 and result.stdout.strip() == "process deal version 2"
    again = deploy(hostile.with_script("prepared = 'yes'"))
    assert again.exit_code == 0 and again.stdout.strip() == "process deal version 2: no changes, no new version"
    new = deals.create_deal({"company": "ООО «Новая»"}, people["manager"])
    db.session.commit()
    assert Instance.load(new.workflow_id).data["prepared"] == "yes"  # the script ran, on version 2
    old_instance = Instance.load(old.workflow_id)
    assert old_instance.row.definition.version == 1 and "prepared" not in old_instance.data
    listed = [line for line in runner.invoke(main, args=["process", "list"]).stdout.strip().splitlines()
              if line.startswith("deal\t")]
    assert [line.split("\t")[:2] for line in listed] == [["deal", "v1"], ["deal", "v2"]]
    assert listed[0].endswith("1 running") and listed[1].endswith("1 running")


def test_missing_file_is_refused(runner):
    result = runner.invoke(main, args=["process", "deploy", "/nonexistent.bpmn"])
    assert result.exit_code != 0 and "nonexistent.bpmn" in result.output
