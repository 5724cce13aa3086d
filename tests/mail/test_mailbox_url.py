"""The mail-inbox-crm URL of the spec: parts, flags, delay units and floor, password masking."""
import pytest

from mail.mailbox import parse_url
from processes.errors import ValidationError
from processes.settings import mask_url, merge_password


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
