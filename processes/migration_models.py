"""Tables of migrations: each real run of «migrate to version N» and the deals it moved, so it can be undone."""
from engine.clock import utcnow
from engine.db import db


class MigrationBatch(db.Model):
    """One real migration run: who moved which deals to which version, and whether it was undone."""

    __tablename__ = "migration_batches"

    id = db.Column(db.Integer, primary_key=True)
    process_id = db.Column(db.String(200), nullable=False, index=True)
    to_definition_id = db.Column(db.Integer, db.ForeignKey("process_definitions.id"), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    undone_at = db.Column(db.DateTime, nullable=True)

    items = db.relationship("MigrationItem", lazy="selectin", order_by="MigrationItem.id",
                            cascade="all, delete-orphan")


class MigrationItem(db.Model):
    """A deal a batch moved: the version it came from and the history entry the move wrote."""

    __tablename__ = "migration_items"

    id = db.Column(db.Integer, primary_key=True)
    batch_id = db.Column(db.Integer, db.ForeignKey("migration_batches.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    deal_id = db.Column(db.Integer, db.ForeignKey("deals.id", ondelete="CASCADE"), nullable=False, index=True)
    from_definition_id = db.Column(db.Integer, db.ForeignKey("process_definitions.id"), nullable=False)
    history_id = db.Column(db.Integer, db.ForeignKey("deal_history.id", ondelete="SET NULL"), nullable=True)
