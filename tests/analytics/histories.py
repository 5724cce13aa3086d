"""Hand-made deal histories with known answers, written straight into the tables.

Period: March 2026 (server zone Europe/Moscow); every time below is UTC, 10:00 unless said.

- A (manager, source 1): new 03-02 → firstContact 03-03 → presentation 03-05 → decision 03-06 → completed 03-08
- B (manager, source 1): new 03-04 → presentation 03-04 22:00 (skips 20%) → firstContact 03-05 (back)
  → refusal 03-07 (reason «Дорого»)
- C (manager, source 2): created 02-20, outside the period: new → firstContact 02-21 → completed 03-10
- D (manager, source 2): new 03-10 → migrated to v2 in «new» 03-11 → firstContact 03-12; open, budget 1000,
  expected to close 2026-04-15
- E (manager2, source 1): new 03-15; open, budget 500, no expected close
- F (manager): created 04-02, after the period: new → firstContact 04-03
"""
from datetime import date, datetime

from engine.db import db
from processes.models import Deal, DealHistory, RefusalReason, Source

DAY = 86400


def at(text):
    return datetime.fromisoformat(text if " " in text else f"{text} 10:00")


DEALS = {
    "A": dict(who="manager", source=0, created="2026-03-02", moves=[
        ("2026-03-03", "firstContact"), ("2026-03-05", "presentation"), ("2026-03-06", "decision"),
        ("2026-03-08", "completed")]),
    "B": dict(who="manager", source=0, created="2026-03-04", moves=[
        ("2026-03-04 22:00", "presentation"), ("2026-03-05", "firstContact"), ("2026-03-07", "refusal")]),
    "C": dict(who="manager", source=1, created="2026-02-20", moves=[
        ("2026-02-21", "firstContact"), ("2026-03-10", "completed")]),
    "D": dict(who="manager", source=1, created="2026-03-10", budget=1000, expected=date(2026, 4, 15), moves=[
        ("2026-03-11", "new", "migrated"), ("2026-03-12", "firstContact")]),
    "E": dict(who="manager2", source=0, created="2026-03-15", budget=500),
    "F": dict(who="manager", source=0, created="2026-04-02", moves=[("2026-04-03", "firstContact")]),
}

STAGE = {"new": "0% Обработка", "firstContact": "20% Квалификация", "presentation": "40% Развитие",
         "decision": "60% Подтверждение", "completed": "100% Победа", "refusal": "Отказ/Пауза"}


def seed(people):
    """Write the deals above; return {letter: deal} (committed)."""
    sources = Source.query.order_by(Source.id).limit(2).all()
    reason = RefusalReason(name="Дорого")
    db.session.add(reason)
    db.session.flush()
    made = {}
    for number, (letter, spec) in enumerate(DEALS.items(), start=1):
        moves = spec.get("moves", [])
        status = moves[-1][1] if moves else "new"
        deal = Deal(number=number, name=f"Deal {letter}", company=letter, status=status, stage=STAGE[status],
                    responsible_id=people[spec["who"]].id, source_id=sources[spec["source"]].id,
                    created_at=at(spec["created"]), status_changed_at=at(spec["created"]),
                    budget=spec.get("budget"), expected_close=spec.get("expected"))
        db.session.add(deal)
        db.session.flush()
        entries = [(spec["created"], None, "new", "created")]
        previous = "new"
        for move in moves:
            when, target = move[0], move[1]
            entries.append((when, previous, target, move[2] if len(move) > 2 else "move"))
            previous = target
        for when, came_from, target, kind in entries:
            db.session.add(DealHistory(deal_id=deal.id, at=at(when), kind=kind, from_status=came_from,
                                       to_status=target, reason_id=reason.id if target == "refusal" else None,
                                       user_id=people[spec["who"]].id))
            db.session.flush()  # one entry at a time, as the app writes them (entered_at reads the earlier ones)
        made[letter] = deal
    db.session.commit()
    return made
