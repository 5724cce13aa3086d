"""A loaded workflow drops its completed pass-through past; what an operation passes itself stays."""
from SpiffWorkflow.util.task import TaskState

from engine import cache, definitions
from engine.db import db
from engine.instances import Instance
from processes import deals, moves, statuses

CYCLE = ["firstContact", "identifyNeeds", "presentation", "offerPreparation"]


def tree(instance):
    return sorted((t.task_spec.name, t.state) for t in instance.workflow.tasks.values())


def test_a_moved_deal_keeps_a_small_tree_cached_or_not(ctx, people):
    manager = people["manager"]
    deal = deals.create_deal({"company": "ООО «Круг»"}, manager)
    db.session.commit()
    fresh = Instance.load(deal.workflow_id).size
    for i in range(12):
        moves.move_deal(deals.get_deal(deal.number), CYCLE[i % len(CYCLE)], manager, comment=f"шаг {i}")
        db.session.commit()
        # A move adds its status task and the routing gateway; the next load drops the older ones.
        assert Instance.load(deal.workflow_id).size <= fresh + 2
    cached = Instance.load(deal.workflow_id)  # the live workflow the last move committed
    cache.clear()
    stored = Instance.load(deal.workflow_id)  # rebuilt from the row
    assert tree(stored) == tree(cached)
    model = statuses.current_model()
    assert model.status_of(stored) == CYCLE[11 % len(CYCLE)] == deals.get_deal(deal.number).status
    assert stored.data["comment"] == "шаг 11"
    # Nothing waiting, ready or ending is dropped, and the start event stays on top.
    names = [t.task_spec.name for t in stored.workflow.tasks.values()]
    assert "start" in names and stored.workflow.last_task.id in stored.workflow.tasks
    # It still runs to the end.
    moves.move_deal(deals.get_deal(deal.number), "decision", manager)
    moves.move_deal(deals.get_deal(deal.number), "completed", people["director"])
    db.session.commit()
    done = Instance.load(deal.workflow_id)
    assert done.completed and deals.get_deal(deal.number).status == "completed"


def test_what_an_operation_passes_stays_until_the_next_load(ctx):
    definition = definitions.latest("deal")
    instance = Instance.start(definition, {"next_status": "new"})
    db.session.commit()
    for target in ("firstContact", "identifyNeeds"):
        instance = Instance.load(instance.id)
        mark = instance.checkpoint()
        task = instance.ready_tasks()[0]
        instance.run_task(task.id, {"next_status": target})
        instance.save()
        passed = instance.passed_since(mark)
        assert passed[0] == task.node_id and passed[-1] == "route"
        db.session.commit()
    completed = [t for t in Instance.load(instance.id).workflow.tasks.values() if t.state == TaskState.COMPLETED]
    assert [t.task_spec.name for t in completed].count("route") == 1
