"""A history entry that ends a stay keeps when its status was entered (``deal_history.entered_at``).

Written with the entry however it is written (a move, the hand-made histories' ORM entries), backfilled
by migration 0016 for the entries written before: both give the time of the deal's previous status change.
"""
import importlib.util
from pathlib import Path

from sqlalchemy import select, text, update

from engine.db import db
from processes import analytics, deals as deal_records, moves
from processes.analytics import scope as scope_of
from processes.models import DealHistory
from tests.analytics.histories import at

MIGRATION = Path(__file__).resolve().parents[2] / "web/migrations/versions/0017_analytics_stays.py"


def _entries(deal):
    return db.session.scalars(select(DealHistory).where(DealHistory.deal_id == deal.id)
                              .order_by(DealHistory.id)).all()


def test_a_move_keeps_when_the_status_it_leaves_was_entered(backend, people):
    deal = deal_records.create_deal({"company": "ООО «Вектор»"}, people["manager"])
    db.session.commit()
    moves.move_deal(deal, "firstContact", people["manager"])
    db.session.commit()
    moves.move_deal(deal, "presentation", people["manager"])
    db.session.commit()
    created, first, second = [e for e in _entries(deal) if e.to_status]
    assert (created.kind, created.entered_at) == ("created", None)
    assert first.entered_at == created.at
    assert second.entered_at == first.at
    today = scope_of.today().isoformat()
    scope = analytics.parse_scope({"from": [today], "to": [today]}, people["director"])
    stays = {row["status"]: row["stays"] for row in analytics.time_in_status(scope)["statuses"]}
    assert stays == {"new": 1, "firstContact": 1}
    assert list(db.session.scalars(analytics.members("transitions:new>firstContact", scope))) == [deal.id]


def test_a_migration_keeping_the_status_ends_no_stay(deals):
    d = {(e.kind, e.to_status): e for e in _entries(deals["D"])}
    assert d[("migrated", "new")].entered_at is None  # v1 «new» → v2 «new»: the stay goes on
    assert d[("move", "firstContact")].entered_at == at("2026-03-10")  # the creation's, across the migration


def test_the_migration_backfills_what_the_entries_are_written_with(deals):
    written = dict(db.session.execute(select(DealHistory.id, DealHistory.entered_at)).all())
    assert sum(value is not None for value in written.values()) == 11  # the stays: A 4, B 3, C 2, D 1, F 1
    db.session.execute(update(DealHistory).values(entered_at=None))
    spec = importlib.util.spec_from_file_location("stays_migration", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    db.session.execute(text(migration.BACKFILL))
    db.session.expire_all()
    assert dict(db.session.execute(select(DealHistory.id, DealHistory.entered_at)).all()) == written
