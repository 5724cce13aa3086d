"""Real .eml letters parsed into plain data: charsets, encoded words, HTML, attachments, kinds."""
import json

import pytest

from mail.charsets import decode_bytes
from mail.parse import parse_letter
from mail.siteform import parse_site_request
from tests.mail.conftest import eml


def parsed(name):
    letter = parse_letter(eml(name))
    json.dumps(letter)  # plain data only: it rides into the workflow as the message payload
    return letter


def test_utf8_letter_gives_sender_subject_and_text():
    letter = parsed("utf8.eml")
    assert letter["key"] == letter["message_id"] == "<utf8-1@client.example.ru>"
    assert letter["subject"] == "Вопрос по лицензиям"
    assert letter["from_name"] == "Анна Смирнова"
    assert letter["from_email"] == "anna.smirnova@client.example.ru"
    assert "Сколько стоят 50 лицензий «CRM»?" in letter["text"]
    assert letter["date"] == "2026-03-02T07:15:00"  # UTC
    assert letter["kind"] is None and letter["site"] == {}


def test_koi8r_body_and_encoded_words():
    letter = parsed("koi8r.eml")
    assert letter["subject"] == "Счёт на оплату"
    assert letter["from_name"] == "Пётр Иванов"
    assert letter["text"] == "Добрый день, пришлите счёт на оплату внедрения.\nПётр"


def test_undeclared_windows_1251_body_and_raw_8bit_headers_are_recovered():
    letter = parsed("cp1251_undeclared.eml")
    assert letter["subject"] == "Нужна консультация по внедрению"
    assert letter["from_name"] == "Сергей Кузнецов"
    assert "системы электронного документооборота" in letter["text"]


def test_declared_windows_1251_body_and_encoded_words():
    letter = parsed("cp1251_declared.eml")
    assert letter["subject"] == "Счёт на лицензии «CRM»"
    assert letter["from_name"] == "Ольга Фёдорова" and letter["from_email"] == "olga@north.example.ru"
    assert letter["text"] == ("Здравствуйте!\n\nПрошу прислать счёт на 15 лицензий «CRM» для ООО «Северный ветер».\n"
                              "Реквизиты — во вложении к следующему письму.\n\nС уважением,\nОльга Фёдорова")


def test_windows_1251_declared_as_koi8r_is_read_as_windows_1251():
    assert parsed("misdeclared.eml")["text"].startswith("Прошу выставить коммерческое предложение")


def test_encoded_words_across_charsets_and_folded_lines():
    letter = parsed("rfc2047.eml")
    assert letter["from_name"] == "Мария Петрова"
    assert letter["subject"] == "Запрос демо версии"


def test_html_only_letter_becomes_clean_text():
    text = parsed("html_only.eml")["text"]
    assert "Добрый день!" in text
    assert "Интересует тариф «Бизнес» & обучение." in text
    for leftover in ("<", "alert", "color:red", "&laquo;", "&amp;", "tracking", "&nbsp;"):
        assert leftover not in text


def test_multipart_alternative_prefers_the_plain_part():
    assert parsed("alternative.eml")["text"] == "Текстовая версия письма."


def test_attachments_with_cyrillic_names():
    letter = parsed("attachments.eml")
    assert [a["filename"] for a in letter["attachments"]] == ["Техзадание.pdf", "Смета 2026.xls"]
    assert letter["text"] == "ТЗ во вложении."


def test_website_request_fields_and_a_multiline_comment():
    site = parsed("site_request.eml")["site"]
    assert site == {
        "contact_name": "Елена Волкова", "phone": "+7 (912) 555-01-02", "site_email": "elena@volkova.example.ru",
        "company": "АО «Вектор»", "site_referrer": "https://yandex.ru/search?text=crm",
        "ga_client_id": "GA1.2.12345.67890", "ym_client_id": "1700000000123456789",
        "description": "Хотим автоматизировать продажи.\nНужно 30 рабочих мест\nи интеграция с 1С."}


def test_one_label_line_is_not_a_website_request():
    assert parse_site_request("Name: Ivan\nI would like a price list.") == {}
    assert parse_site_request("name: Ivan\nPHONE: +7 900 000-00-00") == {"contact_name": "Ivan",
                                                                        "phone": "+7 900 000-00-00"}


def test_configured_labels_replace_the_defaults():
    labels = {"contact_name": ["Клиент"], "phone": ["Тел."]}
    assert parse_site_request("Клиент: Иван\nТел.: 123-45", labels) == {"contact_name": "Иван", "phone": "123-45"}


@pytest.mark.parametrize("name, kind", [("auto_reply.eml", "auto_reply"), ("bounce.eml", "bounce"),
                                        ("bulk.eml", "bulk"), ("utf8.eml", None)])
def test_machine_letters_are_recognised(name, kind):
    assert parsed(name)["kind"] == kind


@pytest.mark.parametrize("value, kind", [("no", None), (" No ", None), ("auto-generated", "auto_reply"),
                                         ("auto-replied", "auto_reply"), ("auto-notified", "auto_reply")])
def test_auto_submitted_no_is_a_person_writing(value, kind):
    raw = (f"From: Ivan <ivan@client.example.ru>\r\nAuto-Submitted: {value}\r\nSubject: Hi\r\n"
           "Message-ID: <as@x>\r\n\r\nHello").encode()
    assert parse_letter(raw)["kind"] == kind


def test_reply_names_the_letter_it_answers():
    letter = parsed("reply.eml")
    assert letter["in_reply_to"] == ["<utf8-1@client.example.ru>"]
    assert letter["references"] == ["<other@x.example>", "<utf8-1@client.example.ru>"]


def test_letter_without_message_id_gets_a_stable_digest():
    first, second = parsed("no_message_id.eml"), parsed("no_message_id.eml")
    assert first["message_id"] == ""
    assert first["key"].startswith("sha256:") and first["key"] == second["key"]


@pytest.mark.parametrize("raw", [b"", b"\x00\xff\xfe garbage", b"Subject: =?bogus?Q?=FF?=\r\n\r\n\xff\xfe",
                                 b"Content-Type: text/plain; charset=x-no-such\r\n\r\n\xcf\xf0\xe8\xe2\xe5\xf2"])
def test_broken_letters_never_crash(raw):
    letter = parse_letter(raw)
    assert letter["key"].startswith("sha256:")


@pytest.mark.parametrize("charset", ["x-cp1251", "win-1251", "koi8r", None, "utf-8"])
def test_labels_python_does_not_know_still_decode(charset):
    data = "Привет, как дела у нашего проекта?".encode("koi8-r" if charset == "koi8r" else "cp1251")
    assert decode_bytes(data, charset) == "Привет, как дела у нашего проекта?"


SENDERS = {"utf8": ("ООО «Ромашка», отдел закупок; Анна Иванова", "zakupki@romashka.example.ru"),
           "koi8r": ('Петров, Пётр; ИП "Север"', "petrov@sever.example.ru"),
           "cp1251": ("ЗАО «Вектор», бухгалтерия; счета", "buh@vector.example.ru")}


@pytest.mark.parametrize("form", ["folded", "quoted"])
@pytest.mark.parametrize("charset", sorted(SENDERS))
def test_display_names_with_commas_and_semicolons_keep_their_address(form, charset):
    """Encoded words folded over lines (as Python writes long names) or quoted; a comma or semicolon inside."""
    letter = parsed(f"from_{form}_{charset}.eml")
    assert (letter["from_name"], letter["from_email"]) == SENDERS[charset]


@pytest.mark.parametrize("header, expected", [
    # A raw UTF-8 name (SMTPUTF8) with a comma, quoted.
    ('"Иванов, Пётр" <P.Ivanov@Client.example.ru>'.encode(), ("Иванов, Пётр", "p.ivanov@client.example.ru")),
    # Two senders: the first one is the letter's.
    (b"=?utf-8?B?0JDQvdC90LAsINC+0YLQtNC10Ls=?= <a@x.ru>, Bob <b@x.ru>", ("Анна, отдел", "a@x.ru")),
    (b"no-name@x.ru", ("", "no-name@x.ru")),
    (b"undisclosed-recipients:;", ("", "")),
])
def test_senders_are_split_before_they_are_decoded(header, expected):
    letter = parse_letter(b"From: " + header + b"\r\nMessage-ID: <s@x>\r\n\r\nhi")
    assert (letter["from_name"], letter["from_email"]) == expected


def test_the_site_forms_dash_labels_and_dashes_inside_values():
    site = parsed("site_request_dash.eml")["site"]
    assert site == {
        "contact_name": "Дмитрий Орлов-Соколов", "phone": "+7 (913) 555-02-03",
        "site_email": "d.orlov@orlov.example.ru", "company": "ООО «Альфа - Омега»",
        "site_referrer": "https://www.example.ru/crm-demo?utm=ya - из рекламы",
        "description": "Нужна CRM - срочно, до конца квартала.\nПозвоните после 15:00."}


def test_a_dash_needs_a_known_label_before_it():
    assert parse_site_request("Имя-Фамилия: нет\nТелефон-ный - нет\nПривет - мир") == {}
    assert parse_site_request("Имя — Иван\nТелефон – 123") == {"contact_name": "Иван", "phone": "123"}


def test_nul_bytes_are_dropped_from_text_and_headers():
    letter = parsed("nul_bytes.eml")
    assert letter["text"] == "Нужна CRM на 10 мест.\nТелефон: +7 900 000-00-00"
    assert letter["subject"] == "Заявка 1"
    assert "\\u0000" not in json.dumps(letter)
