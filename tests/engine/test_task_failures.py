"""A script task failing after a human task: the instance is saved in error, loads back so, and retries from the task."""
import pytest

from engine import cache, definitions
from engine.db import db
from engine.errors import TaskFailed, WorkflowError
from engine.instances import Instance
from tests.analyst import diagrams


def test_failed_script_is_saved_loaded_and_retried(ctx):
    definition = definitions.deploy(diagrams.with_failing_script())[0]
    instance = Instance.start(definition, {"next_status": "firstContact"})
    [task] = instance.ready_tasks()
    with pytest.raises(TaskFailed) as failed:
        instance.run_task(task.id, {"next_status": "presentation"})
    assert failed.value.element_id == "scoring" and "weight" in str(failed.value)
    assert instance.failure.task_id == failed.value.task_id and instance.ready_tasks() == []
    instance.save()
    db.session.commit()
    assert (instance.row.status, instance.row.error_node, instance.row.error_task) == \
        ("error", "scoring", failed.value.task_id)

    cache.clear()  # read the stored state, not the live object
    loaded = Instance.load(instance.id)
    assert loaded.failure == instance.failure
    assert loaded.failed_data() == {"next_status": "presentation"}
    with pytest.raises(TaskFailed):
        loaded.retry()  # the same data fails the same way
    loaded.retry({**loaded.failed_data(), "weight": 4})
    assert loaded.failure is None and [t.node_id for t in loaded.ready_tasks()] == ["presentation"]
    assert loaded.data["score"] == 25
    loaded.save()
    assert (loaded.row.status, loaded.row.error, loaded.row.error_task, loaded.row.error_node) == \
        ("running", None, None, None)
    with pytest.raises(WorkflowError, match="no failed task"):
        loaded.retry()
