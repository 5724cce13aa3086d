"""Polling a real dovecot: letters become deals, flagged only after commit, never twice."""
import ssl
from collections import Counter
from email.message import EmailMessage

import pytest
from sqlalchemy import event, func, select

from engine.db import db
from mail import imap
from mail.handling import handle_group
from mail.mailbox import parse_url
from processes import quarantine
from processes.quarantine import MAX_ATTEMPTS
from processes.mail_models import Letter
from processes.models import Deal
from tests.mail.conftest import eml, letter, refuse


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


def test_the_plain_port_where_the_server_allows_a_plain_login(mail_app, account, dealflow):
    mail_app.config["MAIL_INBOX_CRM"] = account.url(tls=False)
    account.append(letter(1))
    assert "created deal 1" in dealflow("mail", "poll", "--once").output


def test_starttls_where_the_server_refuses_a_login_without_tls(mail_app, account, dealflow, dovecot):
    """The strict address refuses a plain login (as a real server does): only STARTTLS gets in."""
    plain = account.url(tls=False, strict=True)
    mail_app.config["MAIL_INBOX_CRM"] = plain
    account.append(letter(1))
    refused = dealflow("mail", "poll", "--once")
    assert refused.exit_code == 1
    assert "PlaintextRefused: the server refuses a login without encryption" in refused.output, refused.output
    assert "starttls=true" in refused.output and account.password not in refused.output
    check = dealflow("mail", "check")
    assert check.exit_code == 3 and "plaintext: " in check.output and "PRIVACYREQUIRED" in check.output
    assert "\\Seen" not in account.flags()["<poll-1@client.example.ru>"]

    mail_app.config["MAIL_INBOX_CRM"] = account.url(tls=False, strict=True, starttls="true")
    result = dealflow("mail", "poll", "--once")
    assert result.exit_code == 0 and "created deal 1" in result.output, result.output
    assert "\\Seen" in account.flags()["<poll-1@client.example.ru>"]
    client = imap.connect(parse_url(mail_app.config["MAIL_INBOX_CRM"]), cafile=dovecot.cafile)
    try:
        assert isinstance(client.client.sock, ssl.SSLSocket)  # the login and every letter went over TLS
    finally:
        client.logout()


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
        refuse(False)
    result = dealflow("mail", "poll", "--once")
    assert "created deal 1" in result.output, result.output
    assert "\\Seen" in account.flags()["<poll-1@client.example.ru>"]
    with mail_app.app_context():
        assert quarantine.failures() == []


def big_letter(megabytes=10):
    message = EmailMessage()
    message["From"], message["Subject"], message["Message-ID"] = "Big <big@client.example>", "Большое", "<big@x>"
    message.set_content("Смотрите вложение.")
    message.add_attachment(b"\x00" * megabytes * 1024 * 1024, maintype="application", subtype="octet-stream",
                           filename="Архив.bin")
    return message.as_bytes()


def test_batches_are_bounded_by_count_and_bytes():
    sizes = {"1": 10, "2": 10, "3": 100, "4": 10, "5": 10, "6": 10}
    assert list(imap.batches(["1", "2", "3", "4", "5", "6", "7"], sizes, count=2, limit=50)) == \
        [["1", "2"], ["3"], ["4", "5"], ["6"]]  # 3 is bigger than the limit: alone; 7 is gone
    assert list(imap.batches(["1", "2", "4", "5"], sizes, count=50, limit=25)) == [["1", "2"], ["4", "5"]]


@pytest.fixture
def fetched_groups(monkeypatch):
    """The sizes of the letters of each FETCH the poller sends, as lists."""
    groups, batches = [], imap.batches

    def recorded(uids, sized, count=None, limit=None):
        for group in batches(uids, sized, count, limit):
            groups.append([sized[uid] for uid in group])
            yield group
    monkeypatch.setattr(imap, "batches", recorded)
    return groups


def test_a_ten_megabyte_letter_through_dovecot_in_a_fetch_of_its_own(mail_app, account, dealflow, monkeypatch,
                                                                       fetched_groups):
    account.append(letter(1), big_letter(), letter(2))
    monkeypatch.setattr(imap, "FETCH_BYTES", 1024 * 1024)
    result = dealflow("mail", "poll", "--once")
    assert result.exit_code == 0, result.output
    assert result.output.count("created deal") == 3
    assert [len(group) for group in fetched_groups] == [1, 1, 1]  # the small ones do not ride with the big one
    assert fetched_groups[1][0] > 10 * 1024 * 1024
    assert all("\\Seen" in flags for flags in account.flags().values())
    with mail_app.app_context():
        stored = db.session.scalar(select(Letter).where(Letter.message_id == "<big@x>"))
        assert stored.size > 10 * 1024 * 1024 and stored.attachments == ["Архив.bin"]
        assert db.session.get(Deal, stored.deal_id).description == "Смотрите вложение."


def test_small_letters_share_a_fetch_up_to_the_count(mail_app, account, dealflow, monkeypatch, fetched_groups):
    account.append(*[letter(n) for n in range(1, 8)])
    monkeypatch.setattr(imap, "FETCH_CHUNK", 3)
    assert dealflow("mail", "poll", "--once").output.count("created deal") == 7
    assert [len(group) for group in fetched_groups] == [3, 3, 1]


def test_a_group_commits_together_and_its_failing_letter_alone_stays_unread(mail_app, account, dealflow,
                                                                           refusing_database, fetched_groups):
    account.append(letter(1), letter(2, subject="refuse-me"), letter(3), letter(4, subject="refuse-me"), letter(5))
    result = dealflow("mail", "poll", "--once")
    assert result.exit_code == 1, result.output
    assert [len(group) for group in fetched_groups] == [5]  # one FETCH, one transaction
    assert "uid 2: failed (attempt 1/5, left unread" in result.output
    assert "uid 4: failed (attempt 1/5, left unread" in result.output
    flags = account.flags()
    assert ["\\Seen" in flags[f"<poll-{n}@client.example.ru>"] for n in range(1, 6)] == [True, False, True, False,
                                                                                       True]
    with mail_app.app_context():
        assert deal_count() == 3
        assert db.session.scalars(select(Deal.number).order_by(Deal.number)).all() == [1, 2, 3]  # no gaps
        assert db.session.scalars(select(Letter.message_id).order_by(Letter.id)).all() == \
            [f"<poll-{n}@client.example.ru>" for n in (1, 3, 5)]
        assert [(f.letter_key, f.attempts) for f in quarantine.failures()] == \
            [("<poll-4@client.example.ru>", 1), ("<poll-2@client.example.ru>", 1)]
        refuse(False)
    result = dealflow("mail", "poll", "--once")
    assert result.output.count("created deal") == 2 and result.exit_code == 0, result.output
    with mail_app.app_context():
        assert deal_count() == 5 and quarantine.failures() == []


def test_a_group_reads_the_database_a_few_times_not_once_per_letter(app):
    """Statements counted (not timed): the group's rows written together and its reads once; a reply to,
    and a repeat of, a letter earlier in the same group are read right from what it stored."""

    raws = [letter(n, sender=f"c{n}@example.ru") for n in range(1, 21)]
    reply = EmailMessage()
    reply["From"], reply["Subject"], reply["Message-ID"] = "c1@example.ru", "Re: Заявка 1", "<reply-1@x>"
    reply["In-Reply-To"] = "<poll-1@client.example.ru>"
    reply.set_content("Ответ")
    raws += [reply.as_bytes(), raws[0]]
    statements = []

    def count(_conn, _cursor, statement, *_rest):
        statements.append(statement.split()[0] + " " + " ".join(statement.split()[1:4]))
    with app.app_context():
        dialect = db.engine.dialect.name
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            outcomes = handle_group(raws, "test")
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert [o.action for o in outcomes] == ["created"] * 20 + ["joined", "skipped"], outcomes
    assert [o.deal_number for o in outcomes] == list(range(1, 21)) + [1, 1]
    assert outcomes[-1].reason == "duplicate: this letter was received before (deal 1)"
    counted = Counter(statements)
    # A group's rows go in with one INSERT per table. Only the workflow and deal rows, whose ids are read
    # back in order, take one execution per row on SQLite (SQLAlchemy has no insert sentinel for it).
    per_deal = 2 if dialect == "sqlite" else 0
    group = 24  # BEGIN, SAVEPOINT/RELEASE, the reads below, the first deal number (3), the definition, inserts
    assert len(statements) <= per_deal * 20 + group, counted.most_common()
    for table in ("ready_tasks (instance_id,", "deal_history (deal_id,", "letters (message_id,"):
        assert counted[f"INSERT INTO {table}"] == 1, counted.most_common()
    shared = [s for s in statements if s.startswith("SELECT") and ("letters" in s or "settings" in s
                                                                    or "sources" in s or "intake" in s)]
    assert len(shared) <= 8, shared  # labels, known keys, replied deals, loop guard (2), rules, sources, failures
