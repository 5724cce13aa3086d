"""The card's timeline and next steps, «Мои задачи» and the board's marks, through the pages."""
import re
from datetime import timedelta

from engine import clock
from engine.db import db
from processes import activities, deals, users
from tests.web.helpers import make_deal, move


def plan(app, number, hours, summary="Позвонить", owner="manager"):
    with app.app_context():
        made = activities.plan(deals.get_deal(number), users.get_by_username(owner),
                               {"kind": "call", "summary": summary,
                                "due_at": (clock.now() + timedelta(hours=hours)).isoformat() + "Z"})
        db.session.commit()
        return made.id


def test_a_note_is_added_on_the_card_and_shows_first_in_the_timeline(app, as_user):
    number = make_deal(app)
    analyst = as_user("analyst")
    response = analyst.post(f"/deals/{number}/notes", data={"text": "Клиент просит скидку"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#timeline")
    page = analyst.get(f"/deals/{number}").get_data(as_text=True)
    timeline = page[page.index('id="history"'):]
    assert timeline.index("Клиент просит скидку") < timeline.index("сделка создана")
    empty = analyst.post(f"/deals/{number}/notes", data={"text": " "}, follow_redirects=True)
    assert "Не сохранено" in empty.get_data(as_text=True)


def test_an_activity_is_planned_done_and_the_mark_goes(app, as_user):
    number = make_deal(app)
    manager = as_user("manager")
    page = manager.get(f"/deals/{number}").get_data(as_text=True)
    assert 'id="no-next-step"' in page
    due = (clock.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = manager.post(f"/deals/{number}/activities", data={"kind": "meeting", "summary": "Встреча в офисе",
                                                                 "due_at": due, "owner": "manager"})
    assert response.status_code == 302
    page = manager.get(f"/deals/{number}").get_data(as_text=True)
    assert 'id="no-next-step"' not in page and "Встреча в офисе" in page
    activity_id = re.search(r'data-activity="(\d+)"', page).group(1)
    assert as_user("manager2").post(f"/activities/{activity_id}/done", data={"outcome": "x"}).status_code == 403
    manager.post(f"/activities/{activity_id}/done", data={"outcome": "Договорились"})
    page = manager.get(f"/deals/{number}").get_data(as_text=True)
    assert 'id="no-next-step"' in page and "Договорились" in page


def test_an_activity_done_from_my_tasks_goes_back_there_and_a_refusal_to_the_card(app, as_user):
    number = make_deal(app)
    activity_id = plan(app, number, hours=-2)
    manager = as_user("manager")
    done = manager.post(f"/activities/{activity_id}/done", data={"outcome": "Перезвонил", "next": "/tasks"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/tasks")
    again = manager.post(f"/activities/{activity_id}/done", data={"outcome": "Ещё раз", "next": "/tasks"})
    assert again.headers["Location"].endswith(f"/deals/{number}#next-steps")
    page = manager.get(f"/deals/{number}").get_data(as_text=True)
    assert "Не сохранено" in page and "Перезвонил" in page and "Ещё раз" not in page


def test_a_paused_deal_has_no_next_step_mark(app, as_user):
    number = make_deal(app)
    move(app, number, "pause")
    assert 'id="no-next-step"' not in as_user("manager").get(f"/deals/{number}").get_data(as_text=True)


def test_the_timeline_pages(app, as_user):
    number = make_deal(app)
    manager = as_user("manager")
    for n in range(25):
        manager.post(f"/deals/{number}/notes", data={"text": f"Заметка {n:02d}"})
    first = manager.get(f"/deals/{number}").get_data(as_text=True)
    assert "Заметка 24" in first and "Заметка 04" not in first and 'id="timeline-older"' in first
    second = manager.get(f"/deals/{number}?timeline_page=2").get_data(as_text=True)
    assert "Заметка 04" in second and "Заметка 24" not in second and 'id="timeline-older"' not in second


def test_my_tasks_lists_due_activities_and_deals_to_take_and_the_header_counts_them(app, as_user):
    mine = make_deal(app)
    make_deal(app, responsible_id="")  # unprocessed, nobody's yet
    paused = make_deal(app)
    move(app, paused, "pause")
    plan(app, mine, -1, "Просроченный звонок")
    plan(app, mine, 24 * 5, "Нескоро")
    html = as_user("manager").get("/tasks").get_data(as_text=True)
    assert "Просроченный звонок" in html and "Нескоро" not in html
    assert re.search(r'class="activity-row overdue"', html)
    assert f'data-number="{paused}"' not in html
    rows = re.findall(r'<tr data-task="[\w-]+" data-number="(\d+)"', html)
    assert len(rows) == 2  # my deal to work and the unprocessed one to take
    assert '<span class="badge" id="my-task-count">3</span>' in html


def test_the_kanban_marks_no_next_step_and_overdue(app, as_user):
    calm, late, bare = make_deal(app, name="Спокойная"), make_deal(app, name="Просроченная"), make_deal(app)
    plan(app, calm, 48)
    plan(app, late, -2)
    html = as_user("manager").get("/v2/journals?journalId=deals-journal&viewMode=kanban").get_data(as_text=True)

    def card(number):
        return re.search(rf'<article class="kcard" data-number="{number}".*?</article>', html, re.S).group(0)
    assert 'data-mark="overdue"' in card(late) and "просрочено" in card(late) and "data-mark" not in card(calm)
    assert 'data-mark="no-step"' in card(bare) and "нет следующего шага" in card(bare)


def test_the_english_ui_shows_the_timeline_next_steps_and_marks_in_english(app, as_user):
    number = make_deal(app, name="Pilot")
    late = make_deal(app, name="Late")
    plan(app, late, -1, "Call back")
    manager = as_user("manager")
    manager.get("/lang/en")
    manager.post(f"/deals/{number}/notes", data={"text": "A note"})
    card = manager.get(f"/deals/{number}").get_data(as_text=True)
    for text in ("Next steps", "no next step", "Plan an activity", "Timeline", "Add note", "created the deal in"):
        assert text in card, text
    late_card = re.sub(r"\s+", " ", manager.get(f"/deals/{late}").get_data(as_text=True))
    assert "Call</strong>" in late_card and "overdue" in late_card and "planned Call" in late_card
    tasks = manager.get("/tasks").get_data(as_text=True)
    assert "Activities due" in tasks and "Mark done" in tasks
    board = manager.get("/v2/journals?journalId=deals-journal&viewMode=kanban").get_data(as_text=True)
    assert "no next step" in board and ">overdue<" in board
    for russian in ("нет следующего шага", "просрочено", "Лента", "Заметка", "Звонок", "запланировал"):
        assert russian not in card + late_card + tasks + board, russian
    refused = manager.post(f"/deals/{number}/activities", data={"kind": "party", "summary": "x", "due_at": "soon"},
                           follow_redirects=True).get_data(as_text=True)
    assert "Not saved" in refused and "one of: call, meeting, email, task" in refused
