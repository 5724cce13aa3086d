"""The web fixtures (live server, Chromium, logged-in clients) shared with tests/web/."""
from tests.web.conftest import (as_user, browser_page, csrf_app, live_server,  # noqa: F401
                                staff)
