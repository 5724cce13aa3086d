"""Create (quick and full), edit, the card with its stages widget and history, «Изменить статус»."""
import re

from tests.web.helpers import make_deal, move, read_deal


def test_full_form_creates_with_sections_and_clear_errors(app, as_user):
    client = as_user("manager")
    form = client.get("/deals/new").get_data(as_text=True)
    for section in ("Основное", "Контакт", "Заявка с сайта"):
        assert section in form
    response = client.post("/deals/new", data={"company": "", "name": "", "sender_email": "не-почта",
                                                "budget": "-5"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'data-field="sender_email">это не адрес электронной почты', html)
    assert 'data-field="budget">бюджет не может быть отрицательным' in html
    assert 'data-field="company">укажите компанию или имя' in html and 'value="не-почта"' in html
    with app.app_context():
        from processes import directories
        cp = directories.create_counterparty("ООО «Ромашка»", "7707083893")
        from engine.db import db
        db.session.commit()
        cp_id = cp.id
    response = client.post("/deals/new", data={"company": "ООО «Ромашка»", "counterparty_id": str(cp_id),
                                                "counterparty_name": "ООО «Ромашка»", "budget": "1 500 000,50",
                                                "created_at": "", "site_referrer": "yandex"})
    assert response.status_code == 302
    card = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1\xa0500\xa0000,50" in card and "yandex" in card and "ООО «Ромашка»" in card


def test_counterparty_type_ahead(app, as_user):
    with app.app_context():
        from engine.db import db
        from processes import directories
        directories.create_counterparty("ООО «Ромашка»", "7707083893")
        directories.create_counterparty("АО «Вектор»")
        db.session.commit()
    rows = as_user("manager").get("/deals/counterparties.json?q=ром").json
    assert [r["name"] for r in rows] == ["ООО «Ромашка»"]
    assert [r["name"] for r in as_user("manager").get("/deals/counterparties.json?q=770708").json] == ["ООО «Ромашка»"]


def test_edit_keeps_versions(app, as_user):
    number = make_deal(app, name="Старое")
    client = as_user("manager")
    assert client.post(f"/deals/{number}/edit", data={"name": "Новое", "company": "ООО", "version": "1"}).status_code == 302
    assert "Новое" in client.get(f"/deals/{number}").get_data(as_text=True)
    late = client.post(f"/deals/{number}/edit", data={"name": "Опоздал", "company": "ООО", "version": "1"})
    assert late.status_code == 409  # the other save stands; what this user typed comes back, over the new version
    form = late.get_data(as_text=True)
    assert 'id="form-conflict"' in form and 'value="Опоздал"' in form and 'name="version" value="2"' in form
    assert "Новое" in client.get(f"/deals/{number}").get_data(as_text=True)
    assert client.post(f"/deals/{number}/edit", data={"name": "Опоздал", "company": "ООО", "version": "2"}
                       ).status_code == 302


def test_an_edit_conflict_lays_only_this_users_changes_over_the_other_save(app, as_user):
    number = make_deal(app, name="Сделка", description="Старое описание", phone="+7 900 000-00-00")
    first, second = as_user("manager"), as_user("manager")
    assert first.post(f"/deals/{number}/edit", data={"name": "Сделка", "company": "ООО «Тест»", "version": "1",
                                                     "description": "Новое описание", "phone": "+7 900 000-00-00",
                                                     "changed": "description"}).status_code == 302
    late = second.post(f"/deals/{number}/edit", data={"name": "Сделка", "company": "ООО «Тест»", "version": "1",
                                                      "description": "Старое описание", "phone": "+7 911 111-11-11",
                                                      "changed": "phone"})
    assert late.status_code == 409
    form = late.get_data(as_text=True)
    assert 'value="+7 911 111-11-11"' in form  # their change, kept
    assert ">Новое описание</textarea>" in form  # the other save, not overwritten by the old text


def test_card_stages_history_and_status_dialog(app, as_user):
    number = make_deal(app)
    move(app, number, "presentation")
    client = as_user("manager")
    html = client.get(f"/deals/{number}").get_data(as_text=True)
    states = {name: state for state, name in
              re.findall(r'data-state="(\w+)">\s*<span class="stage-name">([^<]+)<', html)}
    assert states == {"0% Обработка": "done", "20% Квалификация": "done", "40% Развитие": "current",
                      "60% Подтверждение": "todo", "100% Победа": "todo", "Отказ/Пауза": "idle"}
    dialog = html.split('id="status-dialog"', 1)[1]
    with app.app_context():
        from processes import statuses
        model = statuses.current_model()
        labels = [model.get(c).label for c in model.allowed("presentation")]
    assert re.findall(r'name="status" value="(\w+)"', dialog) == model.allowed("presentation")
    assert "Отправить" in dialog and labels[0] in dialog
    assert client.post(f"/deals/{number}/status", data={"status": "refusal", "version": "2"}).status_code == 422
    response = client.post(f"/deals/{number}/status", data={"status": "refusal", "comment": "Нет бюджета",
                                                            "version": "2"})
    assert response.status_code == 302
    html = client.get(f"/deals/{number}").get_data(as_text=True)
    assert "Нет бюджета" in html and "Презентация</span> → <span class=\"to\">Отказ" in html
    assert re.search(r'stage-current stage-apart" data-state="current">\s*<span class="stage-name">Отказ/Пауза', html)


def test_saving_the_edit_form_untouched_keeps_the_created_date(app, as_user):
    """The form shows the time as people typed it (Moscow here), so saving it back changes nothing."""
    client = as_user("manager")
    r = client.post("/deals/new", data={"company": "ООО «Дата»", "created_at": "2026-11-20T10:15"})
    number = int(r.headers["Location"].rsplit("/", 1)[1])
    for _ in range(3):
        form = client.get(f"/deals/{number}/edit").get_data(as_text=True)
        shown = re.search(r'name="created_at"[^>]*value="([^"]*)"', form).group(1)
        version = re.search(r'name="version" value="(\d+)"', form).group(1)
        assert shown == "2026-11-20T10:15"
        assert client.post(f"/deals/{number}/edit", data={"company": "ООО «Дата»", "created_at": shown,
                                                          "version": version}).status_code == 302
    assert "20.11.2026 10:15" in client.get(f"/deals/{number}").get_data(as_text=True)


def test_a_quick_create_with_a_mistake_keeps_the_creator_as_responsible(app, as_user):
    client = as_user("manager")
    response = client.post("/deals/new", data={"company": "ООО «Быстро»", "budget": "-5"})  # the quick dialog
    assert response.status_code == 422
    form = response.get_data(as_text=True)
    with app.app_context():
        from processes import users
        manager_id = users.get_by_username("manager").id
    assert re.search(rf'<option value="{manager_id}" selected', form), "the creator is no longer preselected"
    fixed = client.post("/deals/new", data={"company": "ООО «Быстро»", "budget": "5",
                                            "responsible_id": str(manager_id)})
    number = int(fixed.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        from processes import deals
        assert deals.get_deal(number).responsible_id == manager_id


def test_an_edit_may_not_blank_both_company_and_name(app, as_user):
    number = make_deal(app, name="Внедрение")
    client = as_user("manager")
    response = client.post(f"/deals/{number}/edit", data={"company": "", "name": "", "version": "1"})
    assert response.status_code == 422
    assert 'data-field="company">укажите компанию или имя' in response.get_data(as_text=True)
    assert "Внедрение" in client.get(f"/deals/{number}").get_data(as_text=True)
    assert client.post(f"/deals/{number}/edit", data={"company": "", "name": "Внедрение", "version": "1"}
                       ).status_code == 302  # one of the two is enough


def test_a_refusal_without_a_reason_reopens_the_dialog_with_the_error(app, as_user):
    number = make_deal(app)
    client = as_user("manager")
    response = client.post(f"/deals/{number}/status", data={"status": "refusal", "comment": " ", "version": "1"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    dialog = page.split('<dialog id="status-dialog"', 1)[1].split("</dialog>", 1)[0]
    assert dialog.startswith(' class="dialog" data-reopen>')
    assert re.search(r'value="refusal" required data-comment-required="true" checked', dialog)
    assert 'data-field="comment">для этого статуса укажите причину' in dialog
    assert read_deal(app, number)[0] == "new"


def test_a_status_change_on_a_stale_card_keeps_the_reason_and_shows_the_deal_as_it_is(app, as_user):
    number = make_deal(app)  # the card is opened at version 1 ...
    move(app, number, "firstContact")  # ... and meanwhile another tab moves the deal
    client = as_user("manager")
    response = client.post(f"/deals/{number}/status", data={"status": "refusal", "comment": "Ушли к конкурентам",
                                                             "version": "1"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    dialog = page.split('<dialog id="status-dialog"', 1)[1].split("</dialog>", 1)[0]
    assert dialog.startswith(' class="dialog" data-reopen>') and "Ушли к конкурентам</textarea>" in dialog
    assert "сделку тем временем изменили" in dialog
    assert re.search(r'id="deal-status">\s*Первичный контакт\s*<', page)  # the deal as it is now
    assert read_deal(app, number)[0] == "firstContact"


def test_a_counterparty_typed_but_not_picked_is_refused_not_dropped(app, as_user):
    client = as_user("manager")
    response = client.post("/deals/new", data={"company": "ООО «Опечатка»", "counterparty_name": "Ромашк",
                                               "counterparty_id": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'data-field="counterparty_id">выберите контрагента из списка' in page and 'value="Ромашк"' in page
