"""The mail-inbox-crm URL of the spec: parts, flags, delay units and floor, password masking."""
import pytest

from mail.mailbox import mask_url, merge_password, parse_url
from processes.errors import ValidationError


def test_the_spec_example():
    box = parse_url("imaps://imap.mail.ru?username=testuser1@mail.ru&password=somePassword"
                    "&delete=false&unseen=true&delay=30")
    assert (box.host, box.port, box.ssl, box.username, box.password) == \
        ("imap.mail.ru", 993, True, "testuser1@mail.ru", "somePassword")
    assert box.delete is False and box.unseen is True
    assert box.delay == 1.0 and "floor" in box.warnings[0]  # 30 ms is below the 1 s floor
    assert "somePassword" not in repr(box) and "somePassword" not in box.masked


@pytest.mark.parametrize("delay, seconds", [("30000", 30), ("30s", 30), ("5m", 300), ("1500ms", 1.5),
                                            ("1h", 3600), ("999", 1)])
def test_delay_units(delay, seconds):
    assert parse_url(f"imap://h?username=u&delay={delay}").delay == seconds


def test_plain_starttls_folder_and_move_to():
    box = parse_url("imap://mail.example.ru:1143?username=u&password=p&starttls=true&folder=Leads"
                    "&moveTo=Processed&delete=true")
    assert (box.port, box.ssl, box.starttls, box.folder, box.move_to, box.delete) == \
        (1143, False, True, "Leads", "Processed", True)


@pytest.mark.parametrize("url, field", [("http://h?username=u", "mail-inbox-crm"),
                                        ("imaps://?username=u", "mail-inbox-crm.host"),
                                        ("imaps://h?password=p", "mail-inbox-crm.username"),
                                        ("imaps://h?username=u&delay=soon", "mail-inbox-crm.delay"),
                                        ("imaps://h?username=u&unseen=maybe", "mail-inbox-crm.unseen"),
                                        ("imaps://h?username=u&pasword=x", "mail-inbox-crm.pasword")])
def test_bad_urls_say_which_part_is_wrong(url, field):
    with pytest.raises(ValidationError) as caught:
        parse_url(url)
    assert field in caught.value.errors


def test_password_is_masked_and_kept_when_the_mask_comes_back():
    url = "imaps://h?username=u&password=s3cret&delay=30s"
    assert mask_url(url) == "imaps://h?username=u&password=***&delay=30s"
    assert merge_password(mask_url(url), url) == url
    assert merge_password("imaps://h?username=u&password=new", url).endswith("password=new")


def test_credentials_in_the_userinfo_are_read_decoded_and_masked():
    url = "imaps://crm%40example.ru:S%3Fcr%40t-1@imap.example.ru:994?delay=30s"
    box = parse_url(url)
    assert (box.username, box.password, box.host, box.port) == ("crm@example.ru", "S?cr@t-1", "imap.example.ru", 994)
    assert "password=***&" in box.masked and "cr%40t" not in box.masked and "cr@t" not in box.masked
    assert mask_url(url) == "imaps://crm%40example.ru:***@imap.example.ru:994?delay=30s"
    assert merge_password(mask_url(url), url) == url
    new = "imaps://crm%40example.ru:N3w@imap.example.ru?delay=30s"
    assert merge_password(new, url) == new


@pytest.mark.parametrize("url, masks", [
    ("imaps://u:Top-Secret-1@h?password=Top-Secret-2", 2),
    ("imaps://u:Top-Secret-1@h?pass%77ord=Top-Secret-2", 2),
    ("imaps://h?username=u&PASSWORD=Top-Secret-1#Top-Secret-2", 1),
    ("imaps://u@x.ru:Top-Secret-1@h:993?username=u@x.ru&password=Top-Secret-2&delay=1s", 2)])
def test_no_form_of_the_url_shows_a_password(url, masks):
    masked = mask_url(url)
    assert "Top-Secret" not in masked and masked.count("***") == masks
    assert merge_password(masked, url) == url


def test_the_mask_moves_with_the_password_between_the_forms():
    old = "imaps://u:p%26ss@h?delay=1s"
    assert merge_password("imaps://h?username=u&password=***&delay=1s", old) == \
        "imaps://h?username=u&password=p%26ss&delay=1s"
    assert parse_url(merge_password("imaps://h?username=u&password=***", old)).password == "p&ss"


@pytest.mark.parametrize("url", ["imaps://user:Pa?ss-Word@host", "imaps://user:123?ss-Word@host",
                                 "imaps://user:Pa/ss-Word@host?delay=1s"])
def test_a_password_the_url_cuts_in_two_is_refused_without_echoing_it(url):
    with pytest.raises(ValidationError) as caught:
        parse_url(url)
    assert "ss-Word" not in str(caught.value.errors)
