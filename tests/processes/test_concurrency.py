"""Acceptance on PostgreSQL: concurrent moves are applied or refused as conflicts, never half-done."""
import random
import threading
from collections import Counter as Tally

import pytest
from sqlalchemy import func, select

from engine.db import db
from engine.instances import Instance
from processes import deals, moves, statuses, users
from processes.errors import Conflict
from processes.models import Deal, DealHistory

pytestmark = pytest.mark.pg

THREADS, MOVES, DEALS = 8, 400, 5


def run_threads(app, count, work):
    """Run work(index) in count threads, each in its own app context; re-raise the first failure."""
    barrier, failures = threading.Barrier(count), []

    def target(index):
        with app.app_context():
            barrier.wait()
            try:
                work(index)
            except BaseException as exc:  # noqa: BLE001 - reported to the test below
                failures.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def test_400_concurrent_moves_on_5_deals(app, people):
    with app.app_context():
        numbers = [deals.create_deal({"company": f"ООО «Гонка {i}»"}, people["manager"]).number
                   for i in range(DEALS)]
        db.session.commit()
    applied, conflicts, lock = Tally(), Tally(), threading.Lock()

    def work(index):
        rng = random.Random(index)
        director = users.get_by_username("director")  # acts in both lanes
        for _ in range(MOVES // THREADS):
            deal = deals.get_deal(rng.choice(numbers))
            model = statuses.current_model()
            options = [c for c in model.allowed(deal.status) if not model.get(c).final]
            target = rng.choice(options)
            try:
                moves.move_deal(deal, target, director, comment="гонка", expected_version=deal.version)
                db.session.commit()
                outcome = applied
            except Conflict:
                db.session.rollback()
                outcome = conflicts
            with lock:
                outcome[deal.number] += 1

    run_threads(app, THREADS, work)

    assert sum(applied.values()) + sum(conflicts.values()) == MOVES
    assert sum(applied.values()) > 0 and sum(conflicts.values()) > 0  # real contention happened
    print(f"applied {sum(applied.values())}, conflicts {sum(conflicts.values())}")
    with app.app_context():
        model = statuses.current_model()
        for number in numbers:
            deal = deals.get_deal(number)
            entries = db.session.scalars(select(DealHistory).where(
                DealHistory.deal_id == deal.id, DealHistory.kind.in_(("move", "decision")))
                .order_by(DealHistory.id)).all()
            assert len(entries) == applied[number]
            assert deal.status in model.by_code and not model.get(deal.status).final
            # The history is one unbroken chain ending at the deal's status.
            chain = ["new"] + [e.to_status for e in entries]
            assert [e.from_status for e in entries] == chain[:-1] and chain[-1] == deal.status
            assert all(b in model.allowed(a) for a, b in zip(chain, chain[1:]))
            ready = Instance.load(deal.workflow_id).ready_tasks()
            assert [t.node_id for t in ready] == [model.get(deal.status).node_id]


def test_concurrent_creation_gives_unique_consecutive_numbers(app, people):
    per_thread = 10

    def work(index):
        manager = users.get_by_username("manager" if index % 2 else "manager2")
        for i in range(per_thread):
            deals.create_deal({"company": f"ООО «Поток {index}-{i}»"}, manager)
            db.session.commit()

    run_threads(app, THREADS, work)
    with app.app_context():
        numbers = db.session.scalars(select(Deal.number).order_by(Deal.number)).all()
        assert numbers == list(range(1, THREADS * per_thread + 1))
        assert db.session.scalar(select(func.count()).select_from(DealHistory)) == THREADS * per_thread
