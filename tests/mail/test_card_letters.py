"""The deal card's «Письма»: the letters of a deal, each downloadable as .eml, with its attachments."""
import base64
from urllib.parse import unquote

from tests.mail.conftest import EML, eml
from tests.web.conftest import as_user, staff  # noqa: F401 - fixtures


def _import(dealflow, *names):
    result = dealflow("mail", "import", *[EML / n for n in names])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_card_lists_the_letter_and_its_reply(dealflow, as_user):
    _import(dealflow, "utf8.eml", "reply.eml")
    page = as_user("manager").get("/deals/1").get_data(as_text=True)
    section = page[page.index('id="letters"'):]
    assert "Вопрос по лицензиям" in section and "anna.smirnova@client.example.ru" in section
    assert section.count("data-letter=") == 2 and "ответ" in section


def test_the_letter_downloads_as_it_arrived(dealflow, as_user):
    _import(dealflow, "attachments.eml")
    client = as_user("director")
    page = client.get("/deals/1").get_data(as_text=True)
    assert "Техзадание.pdf" in page and "Смета 2026.xls" in page
    letter = client.get("/deals/1/letters/1.eml")
    assert letter.status_code == 200 and letter.mimetype == "message/rfc822"
    assert letter.data == eml("attachments.eml")


def test_each_attachment_downloads_under_its_cyrillic_name(dealflow, as_user):
    _import(dealflow, "attachments.eml")
    client = as_user("manager")
    pdf = client.get("/deals/1/letters/1/attachments/0")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data == base64.b64decode("JVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoKPDw+PgplbmRvYmoKdHJhaWxlcgo8PD4+CiUlRU9GCg==")
    assert "Техзадание.pdf" in unquote(pdf.headers["Content-Disposition"])
    sheet = client.get("/deals/1/letters/1/attachments/1")
    assert sheet.data == b"estimate" and "Смета 2026.xls" in unquote(sheet.headers["Content-Disposition"])
    assert client.get("/deals/1/letters/1/attachments/2").status_code == 404
    assert client.get("/deals/1/letters/99.eml").status_code == 404


def test_letters_need_a_login(dealflow, app, staff):
    _import(dealflow, "attachments.eml")
    anonymous = app.test_client()
    assert anonymous.get("/deals/1/letters/1.eml").status_code == 302
    assert anonymous.get("/deals/1/letters/1/attachments/0").status_code == 302
