"""Demo data: a user for each role and ~30 deals spread over the statuses."""
import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from engine.clock import utcnow
from engine.db import db
from processes import deals, directories, moves, statuses, users
from processes.models import Deal

DEMO_PASSWORD = "demo12345"
DEMO_USERS = (
    ("manager", "manager", "Анна Смирнова"),
    ("manager2", "manager", "Игорь Петров"),
    ("director", "director", "Ольга Кузнецова"),
    ("analyst", "analyst", "Павел Орлов"),
    ("admin", "admin", "Администратор"),
)
COMPANIES = ("ООО «Ромашка»", "АО «Северсталь-Сервис»", "ИП Иванов", "ООО «ТехноПарк»", "ЗАО «Вектор»",
             "ООО «Гранит»", "АО «Медиа Групп»", "ООО «Лесторг»", "ПАО «Энергосбыт»", "ООО «Альфа-Логистик»")
CONTACTS = ("Сергей Волков", "Мария Лебедева", "Дмитрий Соколов", "Елена Новикова", "Алексей Морозов",
            "Наталья Павлова", "Андрей Козлов", "Татьяна Егорова")
TOPICS = ("Внедрение CRM", "Автоматизация документооборота", "Лицензии на 50 рабочих мест",
          "Интеграция с 1С", "Облачная подписка", "Пилотный проект", "Техподдержка на год")


def load_demo(count=30, seed=7):
    """Create demo users and deals unless there are deals already; return the logins."""
    if db.session.scalar(select(func.count(Deal.id))):
        return []
    rng = random.Random(seed)
    people = {}
    for username, role, full_name in DEMO_USERS:
        try:
            people[username] = users.get_by_username(username)
        except Exception:
            people[username], _ = users.create_user(username, role, DEMO_PASSWORD, full_name)
    sources = directories.list_sources()
    counterparty = directories.create_counterparty("ООО «Ромашка»", "7707083893", "770701001",
                                                   "+7 495 000-00-00, info@romashka.example")
    model = statuses.current_model()
    targets = [s.code for s in model.statuses]
    for i in range(count):
        target = targets[i % len(targets)]
        manager = people["manager"] if i % 3 else people["manager2"]
        company = COMPANIES[i % len(COMPANIES)]
        data = {
            "name": f"{TOPICS[i % len(TOPICS)]} — {company}", "company": company,
            "budget": str(Decimal(rng.randrange(50, 5000) * 1000)),
            "contact_name": CONTACTS[i % len(CONTACTS)], "phone": f"+7 9{rng.randrange(10, 99)} "
            f"{rng.randrange(100, 999)}-{rng.randrange(10, 99)}-{rng.randrange(10, 99)}",
            "sender_email": f"client{i + 1}@example.ru", "source_id": sources[i % len(sources)].id,
            "description": "Клиент просит коммерческое предложение и демонстрацию.",
            "created_at": (utcnow() - timedelta(days=rng.randrange(0, 60))).isoformat() + "+00:00",  # UTC, said so
            "responsible_id": None if target == "new" and i % 2 else manager.id,
        }
        if company == counterparty.name:
            data["counterparty_id"] = counterparty.id
        start = target if target in model.start_moves else "decision"
        deal = deals.create_deal(data, manager, status=start)
        if target != start:
            moves.move_deal(deal, target, people["director"], comment="Договор подписан")
        # Spread "days in status" so the board looks like a working week, not a fresh import.
        deal.status_changed_at = max(deal.created_at, utcnow() - timedelta(days=rng.randrange(0, 15)))
    db.session.flush()
    return [(u, role, DEMO_PASSWORD) for u, role, _ in DEMO_USERS]
