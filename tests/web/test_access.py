"""Who sees and does what, page by page and action by action, for each role."""
import pytest

from tests.web.helpers import make_deal, move, read_deal

JOURNAL = "/v2/journals?journalId=deals-journal"
ROLES = ("manager", "manager2", "director", "analyst", "admin")

PAGES = {  # url template -> roles that get 200 (the others get 403)
    JOURNAL: ROLES,
    JOURNAL + "&viewMode=kanban": ROLES,
    "/deals/{n}": ROLES,
    "/deals/new": ROLES,
    "/deals/{n}/edit": ("manager", "director", "admin"),
    "/tasks": ROLES,
    "/tasks/group": ROLES,
    "/directories/counterparties": ("admin",),
    "/directories/counterparties/new": ("admin",),
    "/directories/sources": ("admin",),
}


@pytest.mark.parametrize("url, allowed", PAGES.items())
def test_pages_by_role(app, as_user, url, allowed):
    number = make_deal(app)
    for role in ROLES:
        response = as_user(role).get(url.format(n=number))
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (role, url, response.status_code)
        if expected == 403:
            assert "Доступ запрещён" in response.get_data(as_text=True)


def test_create_is_for_managers_directors_admins(app, as_user):
    assert as_user("analyst").post("/deals/new", data={"company": "X"}).status_code == 403
    for role in ("manager", "director", "admin"):
        assert as_user(role).post("/deals/new", data={"company": f"От {role}"}).status_code == 302


def test_quick_create_button_only_for_creators(as_user):
    assert 'id="quick-create-button"' in as_user("manager").get(JOURNAL).get_data(as_text=True)
    assert 'id="quick-create-button"' not in as_user("analyst").get(JOURNAL).get_data(as_text=True)


def test_change_status_by_role(app, as_user):
    number = make_deal(app)
    card = as_user("manager2").get(f"/deals/{number}").get_data(as_text=True)
    assert 'id="change-status"' not in card and 'id="edit-deal"' not in card
    for role in ("manager2", "analyst"):
        response = as_user(role).post(f"/deals/{number}/status", data={"status": "firstContact"})
        assert response.status_code == 403, role
    assert as_user("manager2").post(f"/deals/{number}/edit", data={"name": "чужая"}).status_code == 403
    assert read_deal(app, number)[0] == "new"
    for role, target in (("manager", "firstContact"), ("director", "identifyNeeds"), ("admin", "presentation")):
        assert 'id="change-status"' in as_user(role).get(f"/deals/{number}").get_data(as_text=True)
        assert as_user(role).post(f"/deals/{number}/status", data={"status": target}).status_code == 302
        assert read_deal(app, number)[0] == target


def test_only_the_director_decides(app, as_user):
    number = make_deal(app)
    move(app, number, "decision")
    response = as_user("manager").post(f"/deals/{number}/status", data={"status": "completed"})
    assert response.status_code == 403
    assert 'id="change-status"' not in as_user("manager").get(f"/deals/{number}").get_data(as_text=True)
    assert as_user("director").post(f"/deals/{number}/status", data={"status": "completed"}).status_code == 302
    assert read_deal(app, number)[0] == "completed"


def test_directories_actions_are_for_admins(as_user):
    for role in ("manager", "director", "analyst"):
        client = as_user(role)
        assert client.post("/directories/sources", data={"name": "Выставка"}).status_code == 403
        assert client.post("/directories/counterparties/new", data={"name": "ООО X"}).status_code == 403
    assert as_user("admin").post("/directories/sources", data={"name": "Выставка"}).status_code == 302
