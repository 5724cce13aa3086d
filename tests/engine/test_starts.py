"""Many instances through a message start at once: from the recorded template they are what a real start makes."""
import json

from lxml import etree
from sqlalchemy import select

from engine import cache, definitions, starts
from engine.db import db
from engine.instances import Instance
from engine.models import ReadyTask
from tests.hostile import BPMN, add_script_task, deal_source

MESSAGE = "deal_mail_received"


def with_mail_triage():
    """deal.bpmn with a script task on the way from the letter's start event to «Не обработана»."""
    root = etree.fromstring(deal_source())
    process = root.find(f"{{{BPMN}}}process")
    process.find(f"{{{BPMN}}}sequenceFlow[@id='Flow_start_mail_new']").set("targetRef", "triage")
    new = process.find(f"{{{BPMN}}}userTask[@id='new']")
    new.find(f"{{{BPMN}}}incoming[.='Flow_start_mail_new']").text = "Flow_triage_new"
    add_script_task(process, "triage", "Разбор", "Flow_start_mail_new", "Flow_triage_new", "new",
                    "urgent = 'срочно' in letter['subject']")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def shape(workflow):
    return sorted((t.task_spec.name, t.state, json.dumps(t.data, sort_keys=True, ensure_ascii=False))
                  for t in workflow.get_tasks())


def test_instances_from_the_template_load_as_a_real_start_would_make_them(ctx):
    definition = definitions.deploy(deal_source())[0]
    payloads = [{"key": f"<{n}@x>", "subject": f"Заявка «{n}»", "text": 'строка\n"в кавычках"\\', "n": [n, None]}
                for n in range(3)]
    started = starts.start_many(definition, payloads, MESSAGE)
    assert all(isinstance(s, starts.Started) for s in started)  # the deal diagram's mail start runs no code
    db.session.commit()
    cache.clear()
    for one, payload in zip(started, payloads):
        real = Instance._new_workflow(definitions.parsed(definition), "deal", payload, MESSAGE)
        loaded = Instance.load(one.id)
        assert shape(loaded.workflow) == shape(real)
        assert [t.id for t in loaded.ready_tasks()] == [t.id for t in one.ready_tasks()]
        assert loaded.ready_tasks()[0].data == {"letter": payload}
        assert (loaded.row.version, loaded.row.status) == (1, "running")
    indexed = db.session.scalars(select(ReadyTask.task_id).order_by(ReadyTask.id)).all()
    assert indexed == [s.ready_tasks()[0].id for s in started]
    assert len(set(indexed)) == 3  # fresh task ids for every instance
    moved = Instance.load(started[1].id)  # and it runs on like any other
    moved.run_task(moved.ready_tasks()[0].id, {"next_status": "firstContact"})
    moved.save()
    assert [t.node_id for t in moved.ready_tasks()] == ["firstContact"]


def test_a_start_that_runs_code_is_never_taken_from_a_template(ctx):
    definition = definitions.deploy(with_mail_triage())[0]
    assert starts.template_for(definition, MESSAGE) is None
    started = starts.start_many(definition, [{"subject": "срочно"}, {"subject": "потом"}], MESSAGE)
    assert [type(s) for s in started] == [Instance, Instance]
    assert [s.data["urgent"] for s in started] == [True, False]


def test_a_payload_that_is_not_plain_json_starts_the_ordinary_way(ctx):
    definition = definitions.deploy(deal_source())[0]
    plain, tagged = starts.start_many(definition, [{"n": 1}, {"tags": {"новый"}}], MESSAGE)
    assert isinstance(plain, starts.Started) and isinstance(tagged, Instance)
    db.session.commit()
    cache.clear()
    assert Instance.load(tagged.id).ready_tasks()[0].data == {"letter": {"tags": ["новый"]}}
