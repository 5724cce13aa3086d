"""Files on assignments: uploaded with the create form, kept in the database, downloaded by who may see them."""
from io import BytesIO
from urllib.parse import quote

from flask import g

from engine.db import db
from tasks import assignment_files
from tasks.assignment_files import clean_name
from tests.conftest import bearer

CONTRACT = "Договор №5 (черновик).pdf"
CONTRACT_BYTES = b"%PDF-1.4\n" + bytes(range(256)) * 40  # binary, not text: kept byte for byte


def login(client, username):
    r = client.post("/login", data={"username": username, "password": "secret123"})
    assert r.status_code in (302, 303), r.data


def form(people, **extra):
    return {"title": "Согласовать договор", "description": "", "performer": str(people["manager2"].id),
            "verifier": "", "due_at": "2999-01-01T10:00", "priority": "normal", **extra}


def create_with_files(client, deal, people, files):
    return client.post(f"/deals/{deal}/assignments/new", data=form(people, files=files),
                       content_type="multipart/form-data")


def test_files_are_kept_listed_and_downloaded_with_their_cyrillic_names(client, people, deal):
    login(client, "manager")
    r = create_with_files(client, deal, people, [(BytesIO(CONTRACT_BYTES), CONTRACT, "application/pdf"),
                                                 (BytesIO("Цены: опт\n".encode()), "Смета.txt", "text/plain")])
    assert r.status_code == 302, r.get_data(as_text=True)
    page = client.get("/assignments/1").get_data(as_text=True)
    assert CONTRACT in page and "Смета.txt" in page and 'id="assignment-files"' in page

    client.get("/logout")
    login(client, "manager2")  # the performer
    r = client.get("/assignments/1/files/1")
    assert r.status_code == 200 and r.data == CONTRACT_BYTES
    assert r.mimetype == "application/pdf" and r.headers["X-Content-Type-Options"] == "nosniff"
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and f"filename*=UTF-8''{quote(CONTRACT)}" in disposition
    assert client.get("/assignments/1/files/2").data.decode() == "Цены: опт\n"


def test_only_signed_in_users_get_a_file_and_only_through_its_own_assignment(app, client, people, deal, api,
                                                                           tokens):
    login(client, "manager")
    create_with_files(client, deal, people, [(BytesIO(b"secret plan"), "План.txt", "text/plain")])
    api.create(deal, title="Без файлов")  # assignment 2
    assert client.get("/assignments/2/files/1").status_code == 404  # file 1 is assignment 1's
    assert client.get("/assignments/1/files/99").status_code == 404

    g.pop("_login_user", None)  # the fixtures' open app context would lend the manager to the next client
    anonymous = app.test_client()
    r = anonymous.get("/assignments/1/files/1")
    assert r.status_code == 302 and "/login" in r.headers["Location"] and b"secret plan" not in r.data
    assert anonymous.get("/api/v1/assignments/1/files/1").status_code == 401

    # The API lists the files with the assignment and serves them to a token of anyone who may see it.
    body = api.read(1, as_user="director")
    assert [(f["name"], f["size"]) for f in body["files"]] == [("План.txt", len(b"secret plan"))]
    r = client.get("/api/v1/assignments/1/files/1", headers=bearer(tokens["director"]))
    assert r.status_code == 200 and r.data == b"secret plan"

    people["director"].active = False  # a deactivated user may see nothing any more
    db.session.commit()
    assert client.get("/api/v1/assignments/1/files/1", headers=bearer(tokens["director"])).status_code == 401


def test_a_file_over_the_limit_is_refused_by_name_and_nothing_is_created(client, people, deal, api):
    login(client, "manager")
    big = BytesIO(b"x" * (assignment_files.MAX_FILE_BYTES + 1))
    r = create_with_files(client, deal, people, [(BytesIO(b"ok"), "Малый.txt", "text/plain"),
                                                 (big, "Большой отчёт.pdf", "application/pdf")])
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="files-error"' in page and "Больше 10 МБ, не приняты:" in page and "Большой отчёт.pdf" in page
    assert "Малый.txt" not in page.split('id="files-error"')[1].split("</span>")[0]
    assert 'value="Согласовать договор"' in page  # the rest of the form is kept
    assert api.list("manager")["total"] == 0

    # With other fields wrong too, every error shows at once.
    r = client.post(f"/deals/{deal}/assignments/new", content_type="multipart/form-data",
                    data=form(people, title="", files=[(BytesIO(b"x" * (assignment_files.MAX_FILE_BYTES + 1)),
                                                        "Большой.pdf", "application/pdf")]))
    assert r.status_code == 422 and "Большой.pdf" in r.get_data(as_text=True)
    assert r.get_data(as_text=True).count('class="field-error"') == 2


def test_a_form_refused_for_another_field_asks_for_the_files_again(client, people, deal, api):
    login(client, "manager")
    r = client.post(f"/deals/{deal}/assignments/new", content_type="multipart/form-data",
                    data=form(people, due_at="2001-01-01T10:00",
                              files=[(BytesIO(CONTRACT_BYTES), CONTRACT, "application/pdf")]))
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and "прикрепите файлы ещё раз" in page.split('id="files-error"')[1]
    assert api.list("manager")["total"] == 0


def test_too_many_files_are_refused(client, people, deal, api):
    login(client, "manager")
    files = [(BytesIO(b"."), f"{i}.txt", "text/plain") for i in range(assignment_files.MAX_FILES + 1)]
    r = create_with_files(client, deal, people, files)
    assert r.status_code == 422 and "слишком много файлов" in r.get_data(as_text=True)
    assert api.list("manager")["total"] == 0


def test_a_request_over_the_servers_limit_gets_a_clear_page(app, client, people, deal):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    login(client, "manager")
    r = create_with_files(client, deal, people, [(BytesIO(b"x" * 8192), "Огромный.bin", "")])
    page = r.get_data(as_text=True)
    assert r.status_code == 413 and "Слишком много данных за один раз" in page and "меньше файлов" in page


def test_names_keep_their_letters_and_lose_paths_and_control_characters():
    assert clean_name("C:\\Users\\Иван\\Документы\\Счёт 12.xlsx") == "Счёт 12.xlsx"
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("Акт\r\n\x00.docx") == "Акт.docx"
    assert clean_name("Заявка.pdf".encode().decode()) == "Заявка.pdf"
    assert clean_name("Й.txt") == "Й.txt" and clean_name("И\u0306.txt") == "Й.txt"  # one form of «й»
    assert clean_name("") == "file" and clean_name("..") == "file"
    long = clean_name("Я" * 300 + ".pdf")
    assert len(long) == 255 and long.endswith(".pdf")


def test_the_domain_refuses_files_to_nobody_and_to_a_deactivated_user(client, people, deal):
    import pytest
    from flask_login import AnonymousUserMixin

    from processes.errors import Forbidden
    from tasks import assignments

    login(client, "manager")
    create_with_files(client, deal, people, [(BytesIO(b"data"), "Файл.txt", "text/plain")])
    assignment = assignments.get_assignment(1)
    assert [f.name for f in assignment_files.files_of(assignment, people["analyst"])] == ["Файл.txt"]
    people["analyst"].active = False
    for nobody in (None, AnonymousUserMixin(), people["analyst"]):
        with pytest.raises(Forbidden):
            assignment_files.files_of(assignment, nobody)
        with pytest.raises(Forbidden):
            assignment_files.get_file(assignment, 1, nobody)
        with pytest.raises(Forbidden):
            assignments.get_visible(1, nobody)
