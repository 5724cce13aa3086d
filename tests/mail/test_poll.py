"""Polling a real dovecot: letters become deals, flagged only after commit, never twice."""
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select, text

from engine.db import db
from processes import quarantine, settings
from processes.quarantine import MAX_ATTEMPTS
from processes.models import Deal
from tests.mail.conftest import eml


def deal_count():
    return db.session.scalar(select(func.count(Deal.id)))


def test_poll_once_makes_deals_and_marks_letters_read(mail_app, account, dealflow):
    account.append(eml("utf8.eml"), eml("koi8r.eml"), eml("auto_reply.eml"))
    result = dealflow("mail", "poll", "--once")
    assert result.exit_code == 0, result.output
    assert "created deal 1" in result.output
    assert "created deal 2" in result.output
    assert "skipped: auto-reply" in result.output
    flags = account.flags()
    assert all("\\Seen" in f for f in flags.values()), flags
    with mail_app.app_context():
        deal = db.session.scalar(select(Deal).where(Deal.number == 1))
        assert deal.name == "Вопрос по лицензиям"
        assert deal.status == "new" and deal.responsible_id is None
        assert deal.source.name == "E-mail"
    again = dealflow("mail", "poll", "--once")
    assert again.exit_code == 0 and "no new letters" in again.output


def letter(n, subject="Заявка", sender="client@example.ru"):
    message = EmailMessage()
    message["From"], message["To"] = f"Клиент {n} <{sender}>", "crm@example.ru"
    message["Subject"], message["Message-ID"] = f"{subject} {n}", f"<poll-{n}@client.example.ru>"
    message.set_content(f"Письмо номер {n}")
    return message.as_bytes()


@pytest.mark.parametrize("params", [{"tls": False}, {"tls": False, "starttls": "true"}])
def test_plain_and_starttls_ports(mail_app, account, dealflow, params):
    mail_app.config["MAIL_INBOX_CRM"] = account.url(**params)
    account.append(letter(1))
    result = dealflow("mail", "poll", "--once")
    assert "created deal 1" in result.output, result.output


def test_delete_true_expunges_only_the_handled_letter(mail_app, account, dealflow):
    mail_app.config["MAIL_INBOX_CRM"] = account.url(delete="true")
    account.append(letter(1))
    with account.server.client(account.user, account.password) as box:
        box.append(letter(2), "INBOX", flag_set=["\\Deleted"])  # someone else's pending deletion
        box.append(letter(3), "INBOX", flag_set=())
    result = dealflow("mail", "poll", "--once")
    assert result.output.count("created deal") == 2
    assert list(account.flags()) == ["<poll-2@client.example.ru>"]


def test_move_to_puts_handled_letters_in_a_folder(mail_app, account, dealflow):
    mail_app.config["MAIL_INBOX_CRM"] = account.url(moveTo="Processed")
    account.append(letter(1), letter(2))
    assert dealflow("mail", "poll", "--once").output.count("created deal") == 2
    assert account.count("INBOX") == 0 and account.count("Processed") == 2


def test_unseen_false_rereads_read_letters_without_new_deals(mail_app, account, dealflow):
    mail_app.config["MAIL_INBOX_CRM"] = account.url(unseen="false")
    account.append(letter(1))
    assert "created deal 1" in dealflow("mail", "poll", "--once").output
    assert "skipped: duplicate" in dealflow("mail", "poll", "--once").output
    with mail_app.app_context():
        assert deal_count() == 1


REFUSE_WHEN = "NEW.subject LIKE '%refuse-me%' AND EXISTS (SELECT 1 FROM settings WHERE key = 'test-refuse')"


def _refuse(on):
    if on:
        settings.put("test-refuse", True)
    else:
        db.session.execute(text("DELETE FROM settings WHERE key = 'test-refuse'"))
    db.session.commit()


@pytest.fixture
def refusing_database(mail_app):
    """Make the database refuse to store letters whose subject says refuse-me (while switched on)."""
    with mail_app.app_context():
        pg = db.engine.dialect.name == "postgresql"
        if pg:
            db.session.execute(text(
                "CREATE FUNCTION refuse_letter() RETURNS trigger AS $$ BEGIN "
                f"IF {REFUSE_WHEN} THEN RAISE EXCEPTION 'refused by the database'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"))
            db.session.execute(text("CREATE TRIGGER refuse_letter BEFORE INSERT ON letters "
                                    "FOR EACH ROW EXECUTE FUNCTION refuse_letter()"))
        else:
            db.session.execute(text(f"CREATE TRIGGER refuse_letter BEFORE INSERT ON letters WHEN {REFUSE_WHEN} "
                                    "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END"))
        _refuse(True)
    yield
    with mail_app.app_context():
        db.session.execute(text("DROP TRIGGER refuse_letter" + (" ON letters" if pg else "")))
        if pg:
            db.session.execute(text("DROP FUNCTION refuse_letter()"))
        db.session.commit()


def test_a_refused_letter_is_retried_then_quarantined(mail_app, account, dealflow, refusing_database, people):
    account.append(letter(1, subject="refuse-me"), letter(2))
    for attempt in range(1, MAX_ATTEMPTS):
        result = dealflow("mail", "poll", "--once")
        assert result.exit_code == 1
        assert f"failed (attempt {attempt}/5, left unread" in result.output
        assert "\\Seen" not in account.flags()["<poll-1@client.example.ru>"]
        with mail_app.app_context():
            assert deal_count() == 1  # the good letter went through on the first pass
    result = dealflow("mail", "poll", "--once")
    assert "moved to quarantine" in result.output
    assert account.count("INBOX") == 1 and account.count("Quarantine") == 1
    with mail_app.app_context():
        (failure,) = quarantine.failures(db.session.merge(people["admin"]))
        assert failure.quarantined and failure.attempts == MAX_ATTEMPTS
        assert "refused by the database" in failure.error and failure.subject == "refuse-me 1"
    assert "no new letters" in dealflow("mail", "poll", "--once").output


def test_a_letter_that_failed_once_goes_through_next_poll(mail_app, account, dealflow, refusing_database):
    account.append(letter(1, subject="refuse-me"))
    assert dealflow("mail", "poll", "--once").exit_code == 1
    with mail_app.app_context():
        _refuse(False)
    result = dealflow("mail", "poll", "--once")
    assert "created deal 1" in result.output, result.output
    assert "\\Seen" in account.flags()["<poll-1@client.example.ru>"]
    with mail_app.app_context():
        assert quarantine.failures() == []
