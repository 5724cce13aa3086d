"""Deactivating and activating users from the command line and the admin's users page."""
import re

import pytest

from engine.db import db
from processes import users
from processes.errors import Forbidden
from tests.conftest import bearer
from tests.web.conftest import as_user, login, staff  # noqa: F401  (fixtures)
from web.cli import main

JOURNAL = "/v2/journals?journalId=deals-journal"


def _refused(client):
    response = client.get(JOURNAL)
    return response.status_code == 302 and "/login" in response.headers["Location"]


def _token(app, username):
    with app.app_context():
        token = users.issue_token(username)
        db.session.commit()
    return token


def _cli(app, *args):
    return app.test_cli_runner().invoke(main, args=list(args))


def test_deactivate_ends_the_web_session_and_the_api_token_at_the_next_request(app, staff):
    client, token = login(app.test_client(), "manager"), _token(app, "manager")
    assert client.get(JOURNAL).status_code == 200
    result = _cli(app, "users", "deactivate", "manager")
    assert result.exit_code == 0 and "deactivated manager" in result.output
    assert _refused(client)
    assert app.test_client().get("/api/v1/deals", headers=bearer(token)).status_code == 401
    assert app.test_client().post("/login", data={"username": "manager", "password": "secret123"}).status_code == 401
    result = _cli(app, "users", "activate", "manager")
    assert result.exit_code == 0 and "activated manager" in result.output
    assert login(app.test_client(), "manager").get(JOURNAL).status_code == 200
    assert app.test_client().get("/api/v1/deals", headers=bearer(token)).status_code == 401  # a new token is needed


def test_the_commands_refuse_unknown_users_and_the_last_admin(app, staff):
    result = _cli(app, "users", "deactivate", "nobody")
    assert result.exit_code == 6 and "no user 'nobody'" in result.output
    result = _cli(app, "users", "deactivate", "admin")
    assert result.exit_code == 3 and "last active admin" in result.output
    assert _cli(app, "users", "create", "second", "--role", "admin").exit_code == 0
    assert _cli(app, "users", "deactivate", "admin").exit_code == 0


def test_only_admins_see_and_use_the_users_page(app, as_user):
    manager = as_user("manager")
    assert 'id="nav-users"' not in manager.get(JOURNAL).get_data(as_text=True)
    assert manager.get("/admin/users").status_code == 403
    with app.app_context():
        target = users.get_by_username("manager2").id
        with pytest.raises(Forbidden):
            users.overview(users.get_by_username("manager"))
        with pytest.raises(Forbidden):
            users.deactivate("manager2", actor=users.get_by_username("director"))
    for action, data in (("active", {"active": "0"}), ("role", {"role": "admin"}), ("password", {}), ("token", {})):
        assert manager.post(f"/admin/users/{target}/{action}", data=data).status_code == 403, action
    assert manager.post("/admin/users", data={"username": "x", "role": "admin"}).status_code == 403
    admin = as_user("admin")
    assert 'id="nav-users"' in admin.get(JOURNAL).get_data(as_text=True)
    page = admin.get("/admin/users")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Пользователи" in html and "manager2" in html
    sessions = dict(re.findall(r'data-user="(\w+)".*?data-sessions="(\d+)"', html, re.S))
    assert sessions["manager"] == "1" and sessions["admin"] == "1" and sessions["manager2"] == "0"
    assert page.headers["Cache-Control"] == "no-store"


def _revealed(response):
    return re.search(r'id="revealed-value">([^<]+)<', response.get_data(as_text=True)).group(1)


def _user_id(app, username):
    with app.app_context():
        return users.get_by_username(username).id


def test_the_admin_changes_role_and_active_and_hands_out_secrets_once(app, as_user):
    admin, victim = as_user("admin"), as_user("manager2")
    target = _user_id(app, "manager2")
    assert admin.post(f"/admin/users/{target}/role", data={"role": "director"}).status_code == 302
    assert victim.get("/processes/deal/v1/dashboard").status_code == 200  # a director's page, from the next request
    assert admin.post(f"/admin/users/{target}/active", data={"active": "0"}).status_code == 302
    assert _refused(victim)
    assert admin.post(f"/admin/users/{target}/active", data={"active": "1"}).status_code == 302

    reset = admin.post(f"/admin/users/{target}/password")
    password = _revealed(reset)
    assert reset.headers["Cache-Control"] == "no-store" and password not in admin.get("/admin/users").get_data(as_text=True)
    assert app.test_client().post("/login", data={"username": "manager2", "password": "secret123"}).status_code == 401
    assert login(app.test_client(), "manager2", password).get(JOURNAL).status_code == 200

    token = _revealed(admin.post(f"/admin/users/{target}/token"))
    assert app.test_client().get("/api/v1/deals", headers=bearer(token)).status_code == 200

    made = admin.post("/admin/users", data={"username": "vera", "role": "analyst", "full_name": "Вера"})
    assert made.status_code == 200 and login(app.test_client(), "vera", _revealed(made))
    assert admin.post("/admin/users", data={"username": "vera", "role": "analyst"}).status_code == 422


def test_the_admin_resetting_their_own_password_stays_logged_in(app, as_user):
    admin, other_device = as_user("admin"), as_user("admin")
    password = _revealed(admin.post(f"/admin/users/{_user_id(app, 'admin')}/password"))
    assert admin.get("/admin/users").status_code == 200 and _refused(other_device)
    assert login(app.test_client(), "admin", password)


def test_the_page_refuses_to_drop_the_last_admin(app, as_user):
    admin = as_user("admin")
    me = _user_id(app, "admin")
    for action, data in (("active", {"active": "0"}), ("role", {"role": "manager"})):
        response = admin.post(f"/admin/users/{me}/{action}", data=data)
        assert response.status_code == 422 and "последний действующий администратор" in response.get_data(as_text=True)
    assert admin.get("/admin/users").status_code == 200
