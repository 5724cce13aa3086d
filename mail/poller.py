"""Poll a mailbox: one worker at a time, each group of letters committed before its letters are flagged."""
from dataclasses import dataclass, field

from flask import current_app

from mail import imap
from mail.handling import handle_group, quarantined, site_labels
from mail.mailbox import parse_url
from processes import locks, settings
from processes.errors import ValidationError


@dataclass
class Pass:
    """What one poll did: a line per letter, and whether another worker held the mailbox."""

    busy: bool = False
    lines: list = field(default_factory=list)
    failures: int = 0


def configured_url():
    """The mailbox URL: DEALFLOW_MAIL_INBOX_CRM wins over the admin setting."""
    return current_app.config.get("MAIL_INBOX_CRM") or settings.get(settings.MAILBOX) or ""


def configured_mailbox():
    url = configured_url()
    if not url:
        raise ValidationError({settings.MAILBOX: "not set: give it on the settings page "
                                                 "or as DEALFLOW_MAIL_INBOX_CRM"})
    return parse_url(url)


def poll_once(box, echo=None, cafile=None):
    """Handle every pending letter of the mailbox once; returns a Pass."""
    echo = echo or (lambda line: None)
    with locks.exclusive("mailbox:" + box.key) as mine:
        if not mine:
            echo(f"mailbox {box.key} is being polled by another worker")
            return Pass(busy=True)
        client = imap.connect(box, cafile=cafile or current_app.config.get("MAIL_CA_FILE"))
        try:
            return drain(client, box, echo)
        finally:
            client.logout()


def drain(client, box, echo=None, labels=None):
    """Handle every pending letter on an open connection, group by group; returns a Pass.

    A group (one FETCH) is one transaction: its good letters are flagged right after its commit,
    its failing ones stay unread (or move to quarantine when due).
    """
    echo = echo or (lambda line: None)
    result, labels = Pass(), labels or site_labels()
    for group in imap.fetch_groups(client, imap.pending_uids(client, box)):
        outcomes = handle_group([raw for _uid, raw in group], box.key, labels)
        imap.mark_done(client, box, [uid for (uid, _raw), outcome in zip(group, outcomes) if outcome.ok])
        for (uid, _raw), outcome in zip(group, outcomes):
            if not outcome.ok:
                result.failures += 1
                if outcome.quarantine:
                    imap.move(client, uid, box.quarantine)
                    quarantined(outcome)
            line = f"uid {uid}: {outcome}"
            result.lines.append(line)
            echo(line)
    return result
