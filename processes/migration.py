"""Migrate running deals to another version of the deal process.

A deal can move when the status node it sits in exists in the target version,
is a status there and can be entered from the plain start: its workflow is
then rebuilt on the target with ``next_status`` set to that status (see
engine/migration.py). A dry run goes through the same steps in memory and
saves nothing, so what it says would move is what a real run moves.

A run takes every running deal on other versions, or only the picked ones
(``numbers``), or only those a journal filter finds (``filters``). A real run
is recorded as a batch (processes/migration_batches.py) that can be undone
while its deals have not moved since.
"""
from dataclasses import asdict, dataclass

from sqlalchemy import select

from engine import migration
from engine.db import db
from engine.instances import Instance
from engine.models import ProcessDefinition, WorkflowInstance
from processes import journal, migration_batches, statuses
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


def running_deals(target, numbers=None, filters=None):
    """Deals whose workflow runs (not finished) on another version of the target's process.

    ``numbers``: only these deals; ``filters`` (processes.journal.Filters): only the deals the journal finds.
    """
    query = (select(Deal).join(WorkflowInstance, Deal.workflow_id == WorkflowInstance.id)
             .join(ProcessDefinition, WorkflowInstance.definition_id == ProcessDefinition.id)
             .where(ProcessDefinition.process_id == target.process_id, ProcessDefinition.id != target.id,
                    WorkflowInstance.status != "completed"))
    if numbers is not None:
        query = query.where(Deal.number.in_(list(numbers)))
    if filters is not None:
        query = query.where(Deal.id.in_(journal.filtered(filters, joins=False).with_only_columns(Deal.id)))
    return db.session.scalars(query.order_by(Deal.number)).all()


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
    from_definition_id = instance.definition.id  # a migration rebuilds the instance on the target
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
        result.entry = DealHistory(deal_id=deal.id, user_id=user.id if user else None, kind="migrated",
                                   from_status=result.status, to_status=status.code,
                                   comment=f"v{result.from_version} → v{target.version}")
        result.from_definition_id = from_definition_id
        db.session.add(result.entry)
    return result


class MigrationRun(list):
    """The DealMigration of each deal a run looked at; ``batch_id`` names the batch a real run recorded."""

    batch_id = None


def migrate_deals(process_id, to_version, user=None, dry_run=True, numbers=None, filters=None):
    """Migrate the running deals of ``process_id`` to ``to_version`` (all, picked or filtered); a MigrationRun.

    Only analysts and admins migrate (``user`` None is the system, e.g. the
    CLI). The edge commits; a dry run leaves the session as it found it.
    """
    if user is not None:
        require_role(user, "analyst", "admin")
    if process_id != statuses.DEAL_PROCESS:
        raise ValidationError({"process_id": f"only the '{statuses.DEAL_PROCESS}' process migrates running deals"})
    target = target_definition(process_id, to_version)
    results = MigrationRun(migrate_deal(deal, target, user, dry_run)
                           for deal in running_deals(target, numbers, filters))
    db.session.flush()
    if not dry_run and any(r.moved for r in results):
        results.batch_id = migration_batches.record(process_id, target, user, results).id
    return results


def undo_migration(process_id, batch_id, user=None, dry_run=True):
    """Migrate a batch's deals back to the versions they came from; a MigrationRun (one entry per deal).

    A deal that has moved (or been migrated again) since is left where it is,
    with the reason. A batch is undone once; the edge commits.
    """
    if user is not None:
        require_role(user, "analyst", "admin")
    batch = migration_batches.get(batch_id, process_id)
    if batch.undone_at is not None:
        raise CannotProceed(f"migration batch {batch_id} was already undone")
    results = MigrationRun()
    for item in batch.items:
        deal = db.session.get(Deal, item.deal_id)
        source = db.session.get(ProcessDefinition, item.from_definition_id)
        why = migration_batches.moved_since(batch, item, deal)
        if why:
            instance_version = deal.workflow.definition.version if deal.workflow else source.version
            results.append(DealMigration(deal.number, deal.status, instance_version, source.version, False,
                                         reason=why, status_label=statuses.label_of(deal.status)))
            continue
        results.append(migrate_deal(deal, source, user, dry_run))
    db.session.flush()
    if not dry_run and any(r.moved for r in results):
        migration_batches.mark_undone(batch)
        results.batch_id = batch.id
    return results
