"""`dealflow mail import`: letters from files become deals exactly as if they had arrived."""
import json
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from engine.db import db
from processes import quarantine, settings
from processes.mail_models import Letter
from processes.models import Deal
from tasks import inbox
from tests.conftest import bearer
from tests.mail.conftest import EML


def deal(number):
    return db.session.scalar(select(Deal).where(Deal.number == number))


def imported(dealflow, *names):
    result = dealflow("mail", "import", *[EML / n for n in names])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_letter_becomes_a_new_deal_waiting_for_managers(dealflow, people, ctx):
    assert "created deal 1" in imported(dealflow, "utf8.eml")
    made = deal(1)
    assert (made.name, made.contact_name, made.sender_email) == \
        ("Вопрос по лицензиям", "Анна Смирнова", "anna.smirnova@client.example.ru")
    assert "Сколько стоят 50 лицензий" in made.description
    assert "Сколько стоят 50 лицензий" in made.mail_message
    assert made.source.name == "E-mail"
    assert made.status == "new" and made.responsible_id is None
    group, _ = inbox.group_tasks(people["manager"])
    assert [t.deal.number for t in group] == [1] and group[0].node_id == "new"


def test_the_diagram_receives_the_letter_through_its_message_start_event(dealflow, ctx):
    from engine.instances import Instance
    imported(dealflow, "attachments.eml")
    instance = Instance.load(deal(1).workflow_id)
    letter = instance.workflow.data.get("letter") or instance.ready_tasks()[0].data["letter"]
    assert letter["subject"] == "Техническое задание"
    assert letter["attachments"] == ["Техзадание.pdf", "Смета 2026.xls"]


def test_website_request_fills_the_site_section_and_the_contact(dealflow, ctx):
    imported(dealflow, "site_request.eml")
    made = deal(1)
    assert (made.contact_name, made.phone, made.site_email, made.company) == \
        ("Елена Волкова", "+7 (912) 555-01-02", "elena@volkova.example.ru", "АО «Вектор»")
    assert made.site_referrer == "https://yandex.ru/search?text=crm"
    assert (made.ga_client_id, made.ym_client_id) == ("GA1.2.12345.67890", "1700000000123456789")
    assert made.description == "Хотим автоматизировать продажи.\nНужно 30 рабочих мест\nи интеграция с 1С."
    assert made.source.name == "Сайт"
    assert "ФИО: Елена Волкова" in made.mail_message


def written(tmp_path, name, subject, **headers):
    """An .eml file of a plain letter from a person."""
    message = EmailMessage()
    message["From"], message["Subject"], message["Message-ID"] = "Иван <ivan@client.example.ru>", subject, f"<{name}@x>"
    for header, value in headers.items():
        message[header.replace("_", "-")] = value
    message.set_content("Добрый день!")
    path = tmp_path / f"{name}.eml"
    path.write_bytes(message.as_bytes())
    return path


def test_subject_rules_pick_the_source(dealflow, ctx, tmp_path):
    # The default rules: «демо» in the subject gives «Запрос демо»; a subject no rule matches gives «E-mail».
    imported(dealflow, "rfc2047.eml", "koi8r.eml")  # «Запрос демо версии», «Счёт на оплату»
    assert (deal(1).source.name, deal(2).source.name) == ("Запрос демо", "E-mail")
    # Configured rules replace the defaults; a word matches in any case, anywhere in the subject.
    settings.put(settings.SUBJECT_RULES, [["СЧЁТ", "Прайс"], ["обучени", "Консультация"]])
    db.session.commit()
    output = dealflow("mail", "import", EML / "cp1251_declared.eml", written(tmp_path, "t", "Про обучение"),
                      written(tmp_path, "d", "Хотим демо")).output
    assert output.count("created deal") == 3, output
    assert deal(3).name == "Счёт на лицензии «CRM»" and deal(3).source.name == "Прайс"
    assert deal(4).source.name == "Консультация"
    assert deal(5).source.name == "E-mail"  # «демо» is no rule any more


def test_a_declared_windows_1251_letter_becomes_a_deal(dealflow, ctx):
    assert "created deal 1" in imported(dealflow, "cp1251_declared.eml")
    made = deal(1)
    assert (made.name, made.contact_name, made.sender_email) == \
        ("Счёт на лицензии «CRM»", "Ольга Фёдорова", "olga@north.example.ru")
    assert "для ООО «Северный ветер»" in made.description and made.description.endswith("Ольга Фёдорова")


def test_auto_submitted_no_is_a_person_and_makes_a_deal(dealflow, ctx, tmp_path):
    output = dealflow("mail", "import", written(tmp_path, "no", "Вопрос", Auto_Submitted="no"),
                      written(tmp_path, "auto", "Вопрос", Auto_Submitted="auto-replied")).output
    assert "created deal 1" in output and "skipped: auto-reply" in output, output
    assert deal(1).name == "Вопрос" and deal(1).status == "new"
    assert db.session.scalar(select(func.count(Deal.id))) == 1
    assert quarantine.skipped_counts() == {"auto_reply": 1}


def test_the_same_letter_twice_makes_one_deal(dealflow, ctx):
    output = imported(dealflow, "utf8.eml", "utf8.eml", "no_message_id.eml", "no_message_id.eml")
    assert output.count("created deal") == 2
    assert output.count("skipped: duplicate") == 2
    assert db.session.scalar(select(func.count(Deal.id))) == 2


def test_a_reply_joins_its_deal(dealflow, ctx, client, tokens):
    output = imported(dealflow, "utf8.eml", "reply.eml")
    assert "joined deal 1" in output
    assert db.session.scalar(select(func.count(Deal.id))) == 1
    body = client.get("/api/v1/deals/1", headers=bearer(tokens["manager"])).get_json()
    assert [(x["message_id"], x["kind"]) for x in body["letters"]] == \
        [("<utf8-1@client.example.ru>", "deal"), ("<reply-1@client.example.ru>", "reply")]
    assert body["source"] == "E-mail"


@pytest.mark.parametrize("name, reason", [("auto_reply.eml", "auto-reply"), ("bounce.eml", "bounce"),
                                          ("bulk.eml", "bulk mail")])
def test_machine_letters_make_no_deal_and_are_counted(dealflow, ctx, name, reason):
    assert f"skipped: {reason}" in imported(dealflow, name)
    assert db.session.scalar(select(func.count(Deal.id))) == 0
    assert sum(quarantine.skipped_counts().values()) == 1


def test_loop_guard_holds_back_a_flooding_sender(dealflow, ctx, tmp_path):
    settings.put(settings.LOOP_GUARD, {"letters": 3, "hours": 2})
    db.session.commit()
    files = []
    for n in range(4):
        letter = EmailMessage()
        letter["From"], letter["Subject"], letter["Message-ID"] = "loop@bot.example", f"ping {n}", f"<loop{n}@x>"
        letter.set_content("ping")
        path = tmp_path / f"loop{n}.eml"
        path.write_bytes(letter.as_bytes())
        files.append(path)
    output = dealflow("mail", "import", *files).output
    assert output.count("created deal") == 3 and "held: loop guard" in output
    assert quarantine.skipped_counts() == {"held": 1}


def test_letters_and_source_in_the_api_read_the_eml_download_and_the_export(dealflow, ctx, client, tokens):
    imported(dealflow, "attachments.eml")
    headers = bearer(tokens["manager"])
    body = client.get("/api/v1/deals/1", headers=headers).get_json()
    (letter,) = body["letters"]
    assert letter["subject"] == "Техническое задание" and letter["from"] == "pavel@client.example.ru"
    assert letter["attachments"] == ["Техзадание.pdf", "Смета 2026.xls"] and letter["received_at"]
    download = client.get(f"/api/v1/deals/1/letters/{letter['id']}.eml", headers=headers)
    assert download.status_code == 200 and download.mimetype == "message/rfc822"
    assert download.data == (EML / "attachments.eml").read_bytes()
    assert client.get(f"/api/v1/deals/1/letters/{letter['id'] + 1}.eml", headers=headers).status_code == 404
    exported = json.loads(dealflow("deals", "export", "--format", "json").output)["deals"]
    assert exported[0]["source"] == "E-mail"
    assert exported[0]["letters"][0]["message_id"] == "<att-1@client.example.ru>"


def test_a_ten_megabyte_letter(dealflow, ctx, tmp_path):
    letter = EmailMessage()
    letter["From"], letter["Subject"], letter["Message-ID"] = "Big <big@client.example>", "Большое", "<big@x>"
    letter.set_content("Смотрите вложение.")
    letter.add_attachment(b"\x00" * 10 * 1024 * 1024, maintype="application", subtype="octet-stream",
                          filename="Архив.bin")
    path = tmp_path / "big.eml"
    path.write_bytes(letter.as_bytes())
    assert "created deal 1" in dealflow("mail", "import", path).output
    stored = db.session.scalar(select(Letter))
    assert stored.size > 10 * 1024 * 1024 and stored.attachments == ["Архив.bin"]
    assert deal(1).description == "Смотрите вложение."


def test_folded_sender_dash_form_and_nul_bytes_make_clean_deals(dealflow, ctx):
    """Stored on PostgreSQL too, which refuses NUL in text: the letter is never retried for it."""
    output = imported(dealflow, "from_folded_utf8.eml", "site_request_dash.eml", "nul_bytes.eml")
    assert output.count("created deal") == 3, output
    first, form, nul = deal(1), deal(2), deal(3)
    assert (first.contact_name, first.sender_email) == ("ООО «Ромашка», отдел закупок; Анна Иванова",
                                                        "zakupki@romashka.example.ru")
    assert (form.contact_name, form.phone, form.company) == ("Дмитрий Орлов-Соколов", "+7 (913) 555-02-03",
                                                             "ООО «Альфа - Омега»")
    assert form.site_referrer == "https://www.example.ru/crm-demo?utm=ya - из рекламы"
    assert (nul.name, nul.description) == ("Заявка 1", "Нужна CRM на 10 мест.\nТелефон: +7 900 000-00-00")
    assert quarantine.failures() == []
