"""Login, logout, the rate limit, safe redirects and CSRF."""
import re

from tests.web.conftest import login
from tests.web.helpers import make_deal, read_deal

JOURNAL = "/v2/journals?journalId=deals-journal"


def test_pages_need_a_login(client, staff):
    for url in (JOURNAL, JOURNAL + "&viewMode=kanban", "/deals/new", "/tasks", "/directories/sources"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_login_and_logout(client, staff):
    page = client.get("/login").get_data(as_text=True)
    assert "Войти" in page
    response = client.post("/login", data={"username": "manager", "password": "wrong"})
    assert response.status_code == 401 and "Неверное имя пользователя или пароль" in response.get_data(as_text=True)
    assert 'name="username" autocomplete="username" required value="manager"' in response.get_data(as_text=True)
    assert 'value="wrong"' not in response.get_data(as_text=True)  # the password is never sent back
    login(client, "manager")
    assert client.get(JOURNAL).status_code == 200
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert client.post("/logout").status_code == 302
    assert client.get(JOURNAL).status_code == 302


def test_login_is_rate_limited(client, staff):
    for _ in range(5):
        assert client.post("/login", data={"username": "manager", "password": "nope"}).status_code == 401
    response = client.post("/login", data={"username": "manager", "password": "secret123"})
    assert response.status_code == 429
    assert "Слишком много неудачных попыток" in response.get_data(as_text=True)
    # A locked account does not lock the others of the address (an office behind one proxy);
    # guessing many names is caught by the address's own, larger limit (tests/security/test_login_throttle.py).
    assert client.post("/login", data={"username": "director", "password": "secret123"}).status_code == 302


def test_login_redirects_only_within_the_site(client, staff):
    response = client.post("/login", data={"username": "manager", "password": "secret123",
                                           "next": "https://evil.example/steal"})
    assert response.headers["Location"].startswith("/v2/journals")
    client.post("/logout")
    response = client.post("/login", data={"username": "manager", "password": "secret123", "next": "/tasks"})
    assert response.headers["Location"] == "/tasks"


def _token(client, url):
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def test_csrf_refused_without_a_token(csrf_app, staff):
    client = csrf_app.test_client()
    assert client.post("/login", data={"username": "manager", "password": "secret123"}).status_code == 400
    token = _token(client, "/login")
    assert client.post("/login", data={"username": "manager", "password": "secret123",
                                       "csrf_token": token}).status_code == 302
    response = client.post("/deals/new", data={"company": "Без токена"})
    assert response.status_code == 400 and "Форма устарела" in response.get_data(as_text=True)
    token = _token(client, JOURNAL)
    assert client.post("/deals/new", data={"company": "С токеном", "csrf_token": token}).status_code == 302

    number = make_deal(csrf_app)
    response = client.post(f"/deals/{number}/status", json={"status": "firstContact"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 400 and read_deal(csrf_app, number)[0] == "new"
    response = client.post(f"/deals/{number}/status", json={"status": "firstContact"},
                           headers={"Accept": "application/json", "X-CSRFToken": token})
    assert response.status_code == 200 and read_deal(csrf_app, number)[0] == "firstContact"
    assert client.post("/logout").status_code == 400
