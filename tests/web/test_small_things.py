"""Small things seen on the way: the favicon."""
import re


def test_every_page_has_a_favicon_and_browsers_asking_for_favicon_ico_get_it(app, as_user, client):
    page = as_user("manager").get("/deals/new").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page).group(1)
    response = client.get(icon)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml" and b"<svg" in response.data
    legacy = client.get("/favicon.ico")
    assert legacy.status_code == 301 and legacy.headers["Location"].endswith(icon)
    assert 'rel="icon"' in client.get("/login").get_data(as_text=True)
