"""Every analytics test runs on SQLite and on PostgreSQL (``db`` parameter)."""
import pytest

from tests.analytics.histories import seed


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def backend(request):
    return request.param


@pytest.fixture
def deals(backend, ctx, people):
    return seed(people)


@pytest.fixture
def seeded(app, staff):
    """The hand-made histories for the web tests (their users are tests.web's staff)."""
    from processes import users
    with app.app_context():
        people = {name: users.get_by_username(name) for name in ("manager", "manager2", "director")}
        made = {letter: deal.number for letter, deal in seed(people).items()}
    return made


from tests.web.conftest import as_user, browser_page, csrf_app, live_server, staff  # noqa: E402,F401
