"""The board slice's tests use the web tests' fixtures (staff, as_user, live server, browser page)."""
from tests.web.conftest import as_user, browser_page, csrf_app, live_server, staff  # noqa: F401
