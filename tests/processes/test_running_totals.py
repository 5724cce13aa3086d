"""The running totals (the board's columns, the journal's total): after every kind of change, folded or not, they
equal what the deals say."""
import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from engine.db import db
from mail.parse import parse_letter
from processes import board, bulk, deals, intake, journal, moves, statuses
from processes.models import Deal, DealTotal
from tests.mail.conftest import letter
from tests.plans import rows_and_blocks_read
from tests.processes.test_concurrency import run_threads


def counted(filters):
    """{status: (count, budget sum)} straight from the deals, by the journal's own conditions."""
    query = journal.filtered(filters, statuses.current_model(), joins=False).with_only_columns(
        Deal.status, func.count(), func.coalesce(func.sum(Deal.budget), 0), maintain_column_froms=True)
    return {status: (count, Decimal(total)) for status, count, total in
            db.session.execute(query.group_by(Deal.status))}


def assert_totals_agree(people):
    model = statuses.current_model()
    for filters in (journal.Filters(), journal.Filters(include_archive=True),
                    journal.Filters(status=["new", "identifyNeeds"]),
                    journal.Filters(responsible=[people["manager"].id]),
                    journal.Filters(responsible=[people["manager2"].id, people["manager"].id], status=["pause"])):
        assert journal.totals_answer(filters)
        running = {s: (n, Decimal(total)) for s, (n, total) in board.column_totals(filters, model).items()}
        assert running == counted(filters), filters
        listed = sum(n for n, _ in counted(filters).values())  # the journal's and the API list's total
        assert journal.search_rows(filters)[1] == journal.search(filters, model)[1] == listed, filters


def test_every_kind_of_change_keeps_the_totals_equal_to_the_deals(ctx, people):
    manager, manager2, director = people["manager"], people["manager2"], people["director"]
    made = [deals.create_deal({"company": f"ООО «Итог {i}»", "budget": str(1000 * i + 0.5)}, manager).number
            for i in range(6)]
    made.append(deals.create_deal({"company": "Без бюджета"}, director).number)  # no budget, no responsible
    db.session.commit()
    assert_totals_agree(people)

    moves.move_deal(deals.get_deal(made[0]), "firstContact", manager)
    moves.move_deal(deals.get_deal(made[1]), "pause", manager, comment="ждём")
    moves.claim_deal(deals.get_deal(made[6]), manager2)
    deals.update_deal(deals.get_deal(made[2]), {"budget": "77777.77"}, manager)
    deals.update_deal(deals.get_deal(made[3]), {"responsible_id": manager2.id}, director)
    deals.update_deal(deals.get_deal(made[4]), {"name": "Только имя"}, manager)  # no total changes
    db.session.commit()
    assert_totals_agree(people)

    outcomes = bulk.run("move", made[:3], director, {"status": "identifyNeeds"}, db.session.commit,
                        db.session.rollback)
    assert any(o.done for o in outcomes)
    raw = letter(1)
    intake.receive(parse_letter(raw), raw)  # a deal made by the mail intake's own INSERT
    db.session.commit()
    assert_totals_agree(people)

    rows = db.session.scalar(select(func.count()).select_from(DealTotal))
    assert board.fold_totals() == rows
    keys = db.session.execute(select(DealTotal.status, DealTotal.responsible_id)).all()
    assert len(keys) == len(set(keys)) < rows  # one row per (status, responsible) once folded
    assert_totals_agree(people)

    moves.move_deal(deals.get_deal(made[5]), "firstContact", manager)
    db.session.execute(text("DELETE FROM deals WHERE number = :n"), {"n": made[4]})  # even a row removed by hand
    db.session.commit()
    assert_totals_agree(people)
    board.fold_totals()
    assert_totals_agree(people)


def test_a_filter_the_totals_cannot_answer_counts_the_deals(ctx, people):
    deals.create_deal({"company": "ООО «Дорогая»", "budget": "500000"}, people["manager"])
    deals.create_deal({"company": "ООО «Дешёвая»", "budget": "10"}, people["manager"])
    db.session.commit()
    filters = journal.Filters(budget_min=Decimal("1000"))
    assert not journal.totals_answer(filters)
    assert board.column_totals(filters, statuses.current_model()) == {"new": (1, Decimal("500000.00"))}


@pytest.mark.pg
def test_concurrent_moves_and_folds_keep_the_totals(app, people):
    with app.app_context():
        numbers = [deals.create_deal({"company": f"ООО «Поток {i}»", "budget": "100"}, people["manager"]).number
                   for i in range(16)]
        db.session.commit()
    folds, stop = [], threading.Event()

    def work(index):
        if index == 0:  # a worker folding all the while
            while not stop.is_set():
                folds.append(board.fold_totals())
            return
        from processes import users
        manager = users.get_by_username("manager")
        try:
            for round_ in range(6):
                for number in numbers[(index - 1) * 4:index * 4]:
                    target = ("firstContact", "identifyNeeds")[round_ % 2]
                    moves.move_deal(deals.get_deal(number), target, manager)
                    db.session.commit()
        finally:
            if index == 4:
                stop.set()

    run_threads(app, 5, work)
    assert len(folds) > 1
    with app.app_context():
        assert_totals_agree(people)
        assert board.column_totals(journal.Filters(), statuses.current_model())["identifyNeeds"] == (
            16, Decimal("1600.00"))


def test_a_worker_pass_folds_the_totals(ctx, people):
    from mail import jobs
    for i in range(4):
        deal = deals.create_deal({"company": f"ООО «Свёртка {i}»", "budget": "10"}, people["manager"])
        moves.move_deal(deal, "firstContact", people["manager"])
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(DealTotal)) > 4  # a delta per change
    jobs.run_jobs(lambda line: None)
    assert db.session.execute(select(DealTotal.status, DealTotal.responsible_id, DealTotal.deals)).all() == [
        ("firstContact", people["manager"].id, 4)]
    assert_totals_agree(people)


@pytest.mark.pg
def test_the_totals_read_the_same_few_pages_after_a_fold_however_many_moves_came_before(ctx, people):
    """Every board and journal page reads the running totals whole: after a fold they take no more pages with
    more moves — the moves between two folds reuse the space the fold freed, and a burst of 20,000 (a bulk
    import) leaves a few pages too (with autovacuum off, as on this machine's server, or not yet come)."""
    deals.create_deal({"company": "ООО «Счёт»", "budget": "100"}, people["manager"])
    db.session.commit()
    totals = select(DealTotal.status, func.sum(DealTotal.deals)).group_by(DealTotal.status)
    read = []
    for moved in (100, 2000, 2000, 2000, 20_000):
        db.session.execute(text(  # what a move's triggers add: -1 from a status, +1 to the next
            "INSERT INTO deal_totals (status, responsible_id, deals, budget) "
            "SELECT CASE WHEN g % 2 = 0 THEN 'new' ELSE 'firstContact' END, :manager, "
            "CASE WHEN g % 4 < 2 THEN 1 ELSE -1 END, 0 FROM generate_series(1, :rows) g"),
            {"manager": people["manager"].id, "rows": 2 * moved})
        db.session.commit()
        board.fold_totals()
        read.append(rows_and_blocks_read(totals, "deal_totals"))
        assert_totals_agree(people)
    assert {rows for rows, _ in read} == {1}, read  # a row per (status, responsible)
    blocks = [blocks for _, blocks in read]
    assert blocks[3] <= blocks[1] + 1, read  # 6,000 moves in three folds: the space of the first reused
    assert blocks[4] <= blocks[0] + 1, read  # and 20,000 at once leave it as small as 100 did
