"""The command line never shows a traceback for bad input: one line saying why and a non-zero exit.

Also the letters `mail import` takes (an empty or binary file is refused, NUL characters are
dropped from a real letter) and the CSV `deals export` writes (formulas neutralised as the
journal's export does).
"""
import csv
import io
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from engine.db import db
from processes.mail_models import Letter
from processes.models import Deal
from web.cli import main


@pytest.fixture
def dealflow(runner):
    def run(*args):
        return runner.invoke(main, args=[str(a) for a in args])
    return run


def refused(result, code, *words):
    """Non-zero exit, no traceback, one line saying why."""
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def deal_count():
    db.session.rollback()
    return db.session.scalar(select(func.count(Deal.id)))


def test_ids_past_32_bits_are_refused_in_one_line(dealflow, people, ctx):
    refused(dealflow("deals", "move", 2**31, "firstContact", "--as", "manager"), 6, "no deal")
    refused(dealflow("deals", "move", 2**70, "firstContact", "--as", "manager"), 6, "no deal")
    refused(dealflow("deals", "create", "--company", "X", "--counterparty-id", -4412537454, "--as", "manager"),
            3, "counterparty_id", "2147483647")
    refused(dealflow("process", "migrate", "deal", "--to-version", 2**31, "--dry-run"), 6, "version")
    assert deal_count() == 0


@pytest.mark.parametrize("content, word", [(b"", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
                                                             "not a letter"),
                                            (b"\x00\x01From: a@b.c\n\nhi", "binary")])
def test_mail_import_refuses_an_empty_or_binary_file(dealflow, ctx, tmp_path, content, word):
    path = tmp_path / "letter.eml"
    path.write_bytes(content)
    refused(dealflow("mail", "import", path), 3, word, str(path))
    assert deal_count() == 0
    assert db.session.scalar(select(func.count(Letter.id))) == 0


def test_a_letter_with_nul_characters_becomes_a_deal_without_them(dealflow, ctx, tmp_path):
    letter = EmailMessage()
    letter["From"] = "Анна <anna@example.com>"
    letter["Subject"] = "Запрос\x00 КП"
    letter["Message-ID"] = "<nul-1@example.com>"
    letter.set_content("Здравствуйте,\x00 нужна CRM.\n")
    path = tmp_path / "nul.eml"
    path.write_bytes(letter.as_bytes())
    result = dealflow("mail", "import", path)
    assert result.exit_code == 0 and "created deal 1" in result.output, result.output
    db.session.rollback()
    deal = db.session.scalar(select(Deal))
    assert deal.name == "Запрос КП" and "нужна CRM" in deal.mail_message
    assert all("\x00" not in (v or "") for v in (deal.name, deal.description, deal.mail_message))
    stored = db.session.scalar(select(Letter))
    assert stored.subject == "Запрос КП" and b"\x00" in stored.raw  # the raw letter is kept as it came


def test_a_letter_dated_year_1_keeps_no_date(dealflow, ctx, tmp_path):
    path = tmp_path / "old.eml"
    path.write_bytes(b"From: a@example.com\r\nSubject: old\r\nDate: Mon, 1 Jan 0001 00:00:00 +0300\r\n"
                     b"Message-ID: <old-1@example.com>\r\n\r\nhello\r\n")
    result = dealflow("mail", "import", path)
    assert result.exit_code == 0 and "created deal 1" in result.output, result.output


def test_csv_export_neutralises_formulas_as_the_web_export_does(dealflow, people, ctx, client):
    for company in ("=HYPERLINK(\"http://evil\",\"x\")", "+7 495 000-00-00", "@SUM(A1)", "-1+2",
                    "+HYPERLINK(\"http://evil\")", "-cmd|' /C calc'!A0", "+7 (933) 111-22-33", "-5"):
        result = dealflow("deals", "create", "--company", company, "--as", "manager")
        assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(dealflow("deals", "export", "--format", "csv").stdout.lstrip("\ufeff"))))
    companies = sorted(r["company"] for r in rows)
    # Formulas are neutralised; phones and plain numbers stay as typed (programs read them).
    assert companies == sorted(["'=HYPERLINK(\"http://evil\",\"x\")", "+7 495 000-00-00", "'@SUM(A1)", "'-1+2",
                                "'+HYPERLINK(\"http://evil\")", "'-cmd|' /C calc'!A0", "+7 (933) 111-22-33", "-5"])
    from tests.web.conftest import login
    login(client, "manager")
    web = client.get("/v2/journals/export.csv?journalId=deals-journal").get_data(as_text=True)
    web_companies = sorted(r["company"] for r in csv.DictReader(io.StringIO(web.lstrip("\ufeff"))))
    assert web_companies == companies
