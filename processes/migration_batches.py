"""Migration batches: what a real migration run moved, so it can be undone while its deals stay put."""
from sqlalchemy import select

from engine.clock import utcnow
from engine.db import db
from processes.errors import NotFound
from processes.migration_models import MigrationBatch, MigrationItem
from processes.models import DealHistory


def record(process_id, target, user, results):
    """A batch of the deals a real run moved (``results``: DealMigration with their history entries)."""
    batch = MigrationBatch(process_id=process_id, to_definition_id=target.id, user_id=user.id if user else None)
    db.session.add(batch)
    for result in results:
        if result.moved:
            batch.items.append(MigrationItem(deal_id=result.entry.deal_id, history_id=result.entry.id,
                                             from_definition_id=result.from_definition_id))
    db.session.flush()
    return batch


def get(batch_id, process_id=None):
    batch = db.session.get(MigrationBatch, batch_id)
    if batch is None or (process_id is not None and batch.process_id != process_id):
        raise NotFound(f"no migration batch {batch_id}")
    return batch


def recent(process_id, limit=10):
    """The newest batches of a process, newest first."""
    return db.session.scalars(select(MigrationBatch).where(MigrationBatch.process_id == process_id)
                              .order_by(MigrationBatch.id.desc()).limit(limit)).all()


def moved_since(batch, item, deal):
    """Why a deal of a batch can no longer be taken back (it moved, or runs elsewhere now), or ''."""
    if deal.workflow is None or deal.workflow.definition_id != batch.to_definition_id:
        return "it runs on another version now"
    if item.history_id is None:
        return "its migration entry is gone"
    later = db.session.scalar(select(DealHistory.id).where(DealHistory.deal_id == deal.id,
                                                           DealHistory.id > item.history_id).limit(1))
    return "it has moved since the migration" if later is not None else ""


def mark_undone(batch):
    batch.undone_at = utcnow()
