"""Diagram texts in the reader's language: statuses, stages, task names and verdicts take ``label.en``/``stage.en``.

The shipped diagrams carry English names as extension properties; a diagram
without them shows its own names in every language.
"""
import re

from engine.db import db
from tests.analyst import diagrams
from tests.web.helpers import make_deal, move


def _text(response):
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_english_ui_shows_the_diagrams_english_names(app, as_user):
    number = make_deal(app)
    decided = make_deal(app)
    move(app, decided, "decision")
    manager, director = as_user("manager"), as_user("director")
    for client in (manager, director):
        client.get("/lang/en?next=/tasks")

    board = _text(manager.get("/v2/journals?journalId=deals-journal&viewMode=kanban"))
    assert re.search(r'kcolumn-title">\s*Not processed\s*<', board)
    assert re.search(r'kcolumn-stage">\s*0% Processing\s*<', board)
    assert "Не обработана" not in board and "Обработка" not in board

    journal = _text(manager.get("/v2/journals?journalId=deals-journal"))
    assert re.search(r'status-new">\s*Not processed\s*<', journal)
    assert re.search(r'<option value="identifyNeeds"[^>]*>\s*Needs assessment\s*<', journal)

    card = _text(manager.get(f"/deals/{number}"))
    assert re.search(r'id="deal-status">\s*Not processed\s*<', card)
    assert re.search(r'stage-name">\s*100% Won\s*<', card) and "Победа" not in card
    assert re.search(r'value="firstContact"[^>]*>\s*First contact', card)  # «Изменить статус» choices

    tasks = _text(director.get("/tasks/group"))
    assert re.search(r'class="task-link">\s*Decision\s*<', tasks) and "Принятие решения" not in tasks

    analyst = as_user("analyst")
    analyst.get("/lang/en?next=/tasks")
    processes = _text(analyst.get("/processes/"))
    assert "Deal <small>(deal)</small>" in processes and "Assignment <small>(assignment)</small>" in processes
    assert "<h1>Dashboard: Deal v1</h1>" in _text(analyst.get("/processes/deal/v1/dashboard"))


def test_the_api_answers_in_the_language_asked(app, staff):
    from processes import users
    from tests.conftest import bearer
    with app.app_context():  # closed before the requests: each gets its own context, and its own language
        token = users.issue_token("manager")
        db.session.commit()
    client = app.test_client()

    def decision(**headers):
        body = client.get("/api/v1/process/statuses", headers={**bearer(token), **headers}).json
        found = next(s for s in body["statuses"] if s["code"] == "decision")
        return found["label"], found["stage_label"], found["stage"]

    # The stored stage (a deal's «stage» field) stays the diagram's own; the labels follow the language.
    assert decision() == ("Принятие решения", "60% Подтверждение", "60% Подтверждение")
    assert decision(**{"Accept-Language": "en-US,en;q=0.9"}) == ("Decision", "60% Confirmation", "60% Подтверждение")


def test_the_russian_ui_keeps_the_diagrams_own_names(app, as_user):
    number = make_deal(app)
    manager = as_user("manager")
    board = _text(manager.get("/v2/journals?journalId=deals-journal&viewMode=kanban"))
    assert re.search(r'kcolumn-title">\s*Не обработана\s*<', board) and "Not processed" not in board
    card = _text(manager.get(f"/deals/{number}"))
    assert re.search(r'stage-name">\s*0% Обработка\s*<', card)


def test_assignment_statuses_and_verdicts_in_english(app, as_user):
    number = make_deal(app)
    with app.app_context():
        from processes import deals, users
        from tasks import assignments
        assignment = assignments.create_assignment(
            deals.get_deal(number), {"title": "Подготовить КП", "performer": "manager2", "due_at": "2999-12-31"},
            users.get_by_username("manager"))
        db.session.commit()
        assignment_id = assignment.id
    performer = as_user("manager2")
    performer.get("/lang/en?next=/tasks")
    page = _text(performer.get(f"/assignments/{assignment_id}"))
    assert re.search(r'data-verdict="take">\s*Take on\s*<', page)
    assert re.search(r'data-verdict="clarify">\s*Ask to clarify\s*<', page)
    journal = _text(performer.get("/assignments"))
    assert ">New<" in journal.replace("> ", ">").replace(" <", "<") and "Новое" not in journal


def test_a_diagram_without_translations_shows_its_own_names_in_english(app, as_user):
    with app.app_context():
        from processes.deploy import deploy_source
        deploy_source(diagrams.camunda_tender(), "analyst")
        db.session.commit()
    manager = as_user("manager")
    manager.get("/lang/en?next=/tasks")
    board = _text(manager.get("/v2/journals?journalId=deals-journal&viewMode=kanban"))
    assert re.search(r'kcolumn-title">\s*Тендер\s*<', board)
    assert re.search(r'kcolumn-stage">\s*40% Развитие\s*<', board)
