"""Static assets: content-hashed URLs kept a year by browsers; a changed file gets a new URL."""
import os
import re

from flask import url_for


def test_pages_link_assets_by_content_hash_and_those_are_cached_for_a_year(app, as_user):
    page = as_user("manager").get("/v2/journals?journalId=deals-journal&viewMode=kanban").get_data(as_text=True)
    urls = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert any("app.css" in u for u in urls) and any("kanban.js" in u for u in urls)
    assert all(re.search(r"\?v=[0-9a-f]{12}$", u) for u in urls), urls
    client = app.test_client()
    hashed = next(u for u in urls if "app.css" in u)
    cached = client.get(hashed)
    assert cached.status_code == 200
    assert "max-age=31536000" in cached.headers["Cache-Control"] and "immutable" in cached.headers["Cache-Control"]
    plain = client.get(hashed.split("?")[0])
    assert "max-age=31536000" not in (plain.headers.get("Cache-Control") or "")


def test_a_changed_file_gets_a_new_url(app, tmp_path):
    app.static_folder = str(tmp_path)
    (tmp_path / "a.css").write_text("body{}")
    with app.test_request_context():
        first = url_for("static", filename="a.css")
        (tmp_path / "a.css").write_text("body{color:red}")
        os.utime(tmp_path / "a.css", ns=(1, 10**18))
        assert url_for("static", filename="a.css") != first
