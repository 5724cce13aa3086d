"""Login sessions live on the server: deactivation, deletion, logout and idleness end them at the next request."""
from datetime import timedelta

from sqlalchemy import select, update

from engine.clock import utcnow
from engine.db import db
from processes import users
from processes.login_models import UserSession
from processes.models import User
from tests.conftest import bearer
from tests.web.conftest import login, staff  # noqa: F401  (fixture)

JOURNAL = "/v2/journals?journalId=deals-journal"


def _let_in(client, url=JOURNAL):
    return client.get(url).status_code == 200


def _refused(client, url=JOURNAL):
    response = client.get(url)
    return response.status_code == 302 and "/login" in response.headers["Location"]


def _set(app, username, **values):
    with app.app_context():
        db.session.execute(update(User).where(User.username == username).values(**values))
        db.session.commit()


def test_a_deactivated_user_is_refused_at_the_next_request(app, staff):
    client = login(app.test_client(), "manager")
    with app.app_context():
        token = users.issue_token("manager")
        db.session.commit()
    assert _let_in(client) and app.test_client().get("/api/v1/deals", headers=bearer(token)).status_code == 200
    _set(app, "manager", active=False)
    assert _refused(client)
    assert app.test_client().get("/api/v1/deals", headers=bearer(token)).status_code == 401
    _set(app, "manager", active=True)
    assert _refused(client), "reactivation does not revive the session that was refused"


def test_a_deleted_user_is_refused(app, staff):
    client = login(app.test_client(), "analyst")
    assert _let_in(client)
    with app.app_context():
        db.session.delete(users.get_by_username("analyst"))
        db.session.commit()
    assert _refused(client)


def test_a_role_change_applies_to_the_next_request(app, staff):
    client = login(app.test_client(), "manager")
    assert client.get("/admin/mail").status_code == 403
    _set(app, "manager", role="admin")
    assert client.get("/admin/mail").status_code == 200
    _set(app, "manager", role="manager")
    assert client.get("/admin/mail").status_code == 403


def test_a_cookie_saved_before_logout_is_refused_after_it(app, staff):
    client = login(app.test_client(), "manager")
    saved = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    assert _refused(client)
    replay = app.test_client()
    replay.set_cookie("session", saved)
    assert _refused(replay)


def test_the_cookie_names_a_session_not_the_user(app, staff):
    client = login(app.test_client(), "manager")
    with client.session_transaction() as session:
        key = session["_user_id"]
    with app.app_context():
        assert key != str(users.get_by_username("manager").id) and len(key) >= 40
        assert db.session.scalar(select(UserSession.id).where(UserSession.id == key)) is None  # only a digest is kept


def test_log_out_everywhere_ends_every_session_of_the_user_only(app, staff):
    laptop, phone = login(app.test_client(), "manager"), login(app.test_client(), "manager")
    colleague = login(app.test_client(), "manager2")
    assert "Выйти на всех устройствах" in laptop.get(JOURNAL).get_data(as_text=True)
    assert laptop.post("/logout/everywhere").status_code == 302
    assert _refused(laptop) and _refused(phone)
    assert _let_in(colleague)
    assert _let_in(login(app.test_client(), "manager"))  # logging in again works


def test_an_idle_session_ends_and_last_seen_is_written_at_most_once_a_minute(app, staff):
    client = login(app.test_client(), "manager")

    def last_seen():
        with app.app_context():
            return db.session.scalar(select(UserSession.last_seen_at))

    def age(delta):
        with app.app_context():
            db.session.execute(update(UserSession).values(last_seen_at=utcnow() - delta))
            db.session.commit()

    seen = last_seen()
    assert _let_in(client) and _let_in(client)
    assert last_seen() == seen  # no write per request
    age(timedelta(minutes=2))
    assert _let_in(client) and last_seen() > utcnow() - timedelta(minutes=1)
    age(timedelta(hours=11, minutes=50))
    assert _let_in(client)
    age(timedelta(hours=12, minutes=1))
    assert _refused(client)
    with app.app_context():
        assert db.session.scalar(select(UserSession.id)) is None  # the dead session is gone


def test_the_idle_limit_is_a_setting(app, staff):
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=1)  # what SESSION_IDLE_HOURS=1 makes
    client = login(app.test_client(), "manager")
    with app.app_context():
        db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=61)))
        db.session.commit()
    assert _refused(client)
