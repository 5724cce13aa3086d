"""Migrate running deals to another version of the deal process.

A deal can move when the status node it sits in exists in the target version,
is a status there and can be entered from the plain start: its workflow is
then rebuilt on the target with ``next_status`` set to that status (see
engine/migration.py). A dry run goes through the same steps in memory and
saves nothing, so what it says would move is what a real run moves.
"""
from dataclasses import asdict, dataclass

from sqlalchemy import select

from engine import migration
from engine.db import db
from engine.instances import Instance
from engine.models import ProcessDefinition, WorkflowInstance
from processes import statuses
from processes.access import require_role
from processes.errors import CannotProceed, NotFound, ValidationError, WorkflowError
from processes.fields import lookup_id
from processes.models import Deal, DealHistory
from processes.records import workflow


@dataclass
class DealMigration:
    """What happened (or would happen) to one deal."""

    number: int
    status: str
    from_version: int
    to_version: int
    moved: bool
    reason: str = ""
    status_label: str = ""

    def as_dict(self):
        return asdict(self)


def target_definition(process_id, version):
    """The definition row of ``process_id`` at ``version``; NotFound when absent."""
    number = lookup_id(version)
    row = None if number is None else db.session.scalar(select(ProcessDefinition).where(
        ProcessDefinition.process_id == process_id, ProcessDefinition.version == number))
    if row is None:
        raise NotFound(f"process '{process_id}' has no version {version}")
    return row


def running_deals(target):
    """Deals whose workflow runs (not finished) on another version of the target's process."""
    return db.session.scalars(
        select(Deal).join(WorkflowInstance, Deal.workflow_id == WorkflowInstance.id)
        .join(ProcessDefinition, WorkflowInstance.definition_id == ProcessDefinition.id)
        .where(ProcessDefinition.process_id == target.process_id, ProcessDefinition.id != target.id,
               WorkflowInstance.status != "completed")
        .order_by(Deal.number)).all()


def _steer(deal, instance, target):
    """The status a deal takes on ``target`` and the data that routes it there; raise CannotProceed if none."""
    node_id = statuses.model_for(instance.definition).get(deal.status).node_id
    new_model = statuses.model_for(target)
    status = new_model.by_node.get(node_id)
    if status is None:
        raise CannotProceed(f"status node '{node_id}' is not a status in version {target.version}")
    if status.code not in new_model.start_moves:
        raise CannotProceed(f"version {target.version} cannot start a deal in '{status.code}'")
    return status, {**instance.data, workflow.STEER: status.code}


def migrate_deal(deal, target, user=None, dry_run=True):
    """Move one deal's workflow to ``target``; return a DealMigration (a refusal is data, not an error)."""
    instance = Instance.from_row(deal.workflow)
    result = DealMigration(deal.number, deal.status, instance.definition.version, target.version, False,
                           status_label=statuses.label_of(deal.status, statuses.model_for(instance.definition)))
    try:
        found = migration.problems(instance, target)
        if found:
            raise CannotProceed("; ".join(found))
        status, data = _steer(deal, instance, target)
        migration.migrate(instance, target, data, dry_run=dry_run)
    except (CannotProceed, WorkflowError) as exc:
        result.reason = str(exc)
        return result
    result.moved = True
    if not dry_run:
        if (deal.status, deal.stage) != (status.code, status.stage):
            deal.status, deal.stage = status.code, status.stage
        db.session.add(DealHistory(deal_id=deal.id, user_id=user.id if user else None, kind="migrated",
                                   from_status=result.status, to_status=status.code,
                                   comment=f"v{result.from_version} → v{target.version}"))
    return result


def migrate_deals(process_id, to_version, user=None, dry_run=True):
    """Migrate every running deal of ``process_id`` to ``to_version``; a list of DealMigration.

    Only analysts and admins migrate (``user`` None is the system, e.g. the
    CLI). The edge commits; a dry run leaves the session as it found it.
    """
    if user is not None:
        require_role(user, "analyst", "admin")
    if process_id != statuses.DEAL_PROCESS:
        raise ValidationError({"process_id": f"only the '{statuses.DEAL_PROCESS}' process migrates running deals"})
    target = target_definition(process_id, to_version)
    results = [migrate_deal(deal, target, user, dry_run) for deal in running_deals(target)]
    db.session.flush()
    return results
