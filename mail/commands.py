"""CLI commands of the mail face: ``mail poll --once``, ``mail import FILE.eml…``, ``mail check``, ``worker``.

A refused setting or file is raised as the domain's ``ValidationError``; ``web/cli.py`` registers these
commands and maps any refusal to its exit code, as for every other command.
"""
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from imap_tools.errors import ImapToolsError

from mail import poller, watch
from mail.check import check_connection
from mail.handling import handle
from mail.imap import ImapError
from mail.parse import refusal
from processes.errors import ValidationError


@click.group("mail")
def mail_group():
    """Mail intake: letters from the mail-inbox-crm mailbox become deals."""


@mail_group.command("poll")
@click.option("--once", is_flag=True, required=True, help="Run one pass and exit (the worker loops).")
@with_appcontext
def poll(once):
    """Handle every pending letter once, printing what became of each."""
    box = poller.configured_mailbox()
    for warning in box.warnings:
        click.echo(f"warning: {warning}", err=True)
    try:
        result = poller.poll_once(box, click.echo)
    except (OSError, ImapError, ImapToolsError) as exc:
        raise click.ClickException(f"cannot poll {box.masked}: {type(exc).__name__}: {exc}") from None
    if not result.busy and not result.lines:
        click.echo("no new letters")
    sys.exit(1 if result.failures else 0)


@mail_group.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_files(files):
    """Handle letters from .eml files exactly as if they had arrived (an empty or binary file is refused)."""
    failures, refused = 0, {}
    for path in files:
        raw = path.read_bytes()
        reason = refusal(raw)
        if reason:
            refused[str(path)] = reason
            continue
        outcome = handle(raw, f"file:{path.name}")
        failures += not outcome.ok
        click.echo(f"{path}: {outcome}")
    if refused:
        raise ValidationError(refused)
    sys.exit(1 if failures else 0)


@mail_group.command("check")
@with_appcontext
def check():
    """Try the configured mailbox: connect, log in, open the folder."""
    result = check_connection(poller.configured_url(), cafile=current_app.config.get("MAIL_CA_FILE"))
    if result.ok:
        click.echo(f"ok: {result.detail}: {result.total} letters, {result.unseen} unread")
        return
    raise ValidationError(f"{result.reason}: {result.detail}")


@click.command("worker")
@click.option("--passes", type=int, default=None, hidden=True, help="Stop after this many passes (tests).")
@click.option("--once", is_flag=True, help="Run one pass (due timers, outbox, mailbox) and exit.")
@with_appcontext
def worker(passes, once):
    """Run the background worker: hold the mailbox with IMAP IDLE (else poll it every `delay`), fire due timers,
    send the outbox."""
    watch.run_worker(click.echo, passes=1 if once else passes)
