"""`dealflow deals note`: a note from the command line, with its mention mailed."""
from engine.db import db
from processes import outbox
from tests.cli.test_cli import assert_refused, create, dealflow  # noqa: F401  (the fixture)
from tasks import timeline


def test_a_note_from_the_command_line_lands_in_the_timeline_and_mails_the_mention(dealflow, people, ctx):  # noqa: F811
    people["director"].email = "director@example.test"
    db.session.commit()
    number = create(dealflow, "--as", "manager")
    result = dealflow("deals", "note", number, "Клиент ждёт решения, @director", "--as", "manager")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith(f"deal {number}: note ")
    db.session.rollback()
    from processes.deals import get_deal
    entries, _ = timeline.page(get_deal(number), people["manager"])
    assert entries[0].kind == "note" and entries[0].item.text == "Клиент ждёт решения, @director"
    assert [m.to_email for m in outbox.letters() if m.topic.endswith(":mention")] == ["director@example.test"]
    assert_refused(dealflow("deals", "note", number, "  ", "--as", "manager"), 3, "text")
    assert_refused(dealflow("deals", "note", 999, "x", "--as", "manager"), 6)
