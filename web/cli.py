"""The ``dealflow`` command line: one click command per operation, each an edge that commits."""
import functools
import json
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from engine.db import db
from processes import deals, demo, deploy, directories, moves, notes, users
from processes.deploy import deploy_source, diff_source, initialize, validate_source
from processes.errors import Refusal
from processes.journal import Filters, filtered
from processes.letters import letters_by_deal
from processes.migration import migrate_deals, undo_migration
from processes.models import ROLES
from processes.serialize import StatusLabels, deal_dict, deal_dicts, to_csv
from processes.statuses import current_model
from tasks import records
from web.diff_lines import diff_lines
from web.errors import classify, end_transaction


def edge(func):
    """Run a command in the app context, commit on success, one-line reason and exit code on error."""
    @functools.wraps(func)
    @with_appcontext
    def wrapper(*args, **kwargs):
        try:
            result = func(*args, **kwargs)
            db.session.commit()
            return result
        except Refusal as exc:
            end_transaction(exc)
            _, exit_code, code = classify(exc)
            click.echo(f"error ({code}): {exc}", err=True)
            sys.exit(exit_code)
    return wrapper


def refusals_exit(command):
    """Let a face's command raise refusals: shown as click shows an error, exiting with the mapped code.

    For the commands of the mail face, which may not import ``web``; they commit on their own (per letter).
    """
    callback = command.callback

    @functools.wraps(callback)
    def wrapper(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except Refusal as exc:
            end_transaction(exc)
            error = click.ClickException(str(exc))
            error.exit_code = classify(exc)[1]
            raise error from None
    command.callback = wrapper
    return command


def _create_app():
    from web import create_app
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def main():
    """dealflow: a CRM deal pipeline run as BPMN."""


@main.command("init")
@edge
def init_command():
    """Create or upgrade the schema, seed directories and deploy bpmn/ (idempotent)."""
    import flask_migrate
    from web import MIGRATIONS
    flask_migrate.upgrade(directory=MIGRATIONS, revision="head")
    for row in initialize(current_app.config["BPMN_DIR"]):
        click.echo(f"process {row.process_id} version {row.version}")


@main.command("demo")
@edge
def demo_command():
    """Load demo users and deals into an empty database and print the logins."""
    logins = demo.load_demo()
    if not logins:
        click.echo("the database has deals already: no demo data loaded")
    for username, role, password in logins:
        click.echo(f"demo login: {username} / {password} ({role})")


@main.group("users")
def users_group():
    """Users and API tokens."""


@users_group.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--password", default=None, help="A random one is made and printed when left out.")
@click.option("--full-name", default="")
@click.option("--email", default="")
@edge
def users_create(username, role, password, full_name, email):
    """Create a user."""
    user, made = users.create_user(username, role, password, full_name, email)
    click.echo(f"created {user.username} ({user.role})")
    if password is None:
        click.echo(f"password: {made}")


@users_group.command("token")
@click.argument("username")
@edge
def users_token(username):
    """Issue a new API token for a user (the previous one stops working)."""
    click.echo(users.issue_token(username))


@users_group.command("deactivate")
@click.argument("username")
@edge
def users_deactivate(username):
    """Stop a user: their web sessions and API token are refused from the next request."""
    users.deactivate(username)
    click.echo(f"deactivated {username}")


@users_group.command("activate")
@click.argument("username")
@edge
def users_activate(username):
    """Let a deactivated user log in again (with a new API token if they need one)."""
    users.activate(username)
    click.echo(f"activated {username}")


@main.group("deals")
def deals_group():
    """Create, move and export deals."""


def _actor(username):
    return users.get_by_username(username) if username else None


@deals_group.command("create")
@click.option("--company", required=True)
@click.option("--name", default=None)
@click.option("--budget", default=None)
@click.option("--responsible", default=None, help="Username of the responsible manager.")
@click.option("--description", default=None)
@click.option("--contact-name", default=None)
@click.option("--phone", default=None)
@click.option("--email", "sender_email", default=None)
@click.option("--source", default=None, help="A source name from the directory.")
@click.option("--counterparty-id", type=int, default=None)
@click.option("--status", default=None, help="Start in this status instead of the first one.")
@click.option("--as", "actor", default=None, help="Username acting (default: the system).")
@edge
def deals_create(company, name, budget, responsible, description, contact_name, phone, sender_email,
                 source, counterparty_id, status, actor):
    """Create a deal; prints its number alone on the last line."""
    data = {"company": company, "name": name, "budget": budget, "description": description,
            "contact_name": contact_name, "phone": phone, "sender_email": sender_email,
            "counterparty_id": counterparty_id}
    data = {k: v for k, v in data.items() if v is not None}
    if responsible:
        data["responsible_id"] = users.get_by_username(responsible).id
    if source:
        data["source_id"] = directories.source_by_name(source).id
    deal = deals.create_deal(data, _actor(actor), status=status)
    click.echo(f"created deal in status {deal.status}")
    click.echo(str(deal.number))


@deals_group.command("move")
@click.argument("number", type=int)
@click.argument("status")
@click.option("--as", "actor", required=True, help="Username acting.")
@click.option("--comment", default="")
@edge
def deals_move(number, status, actor, comment):
    """Move a deal to STATUS (out of `decision` this is the director's decision)."""
    deal = moves.move_deal(deals.get_deal(number), status, users.get_by_username(actor), comment)
    click.echo(f"deal {deal.number}: {deal.status}")


@deals_group.command("note")
@click.argument("number", type=int)
@click.argument("text")
@click.option("--as", "actor", required=True, help="Username writing the note.")
@edge
def deals_note(number, text, actor):
    """Add a note to a deal (each @username in it is told by mail)."""
    note = notes.add_note(deals.get_deal(number), users.get_by_username(actor), text)
    click.echo(f"deal {number}: note {note.id} added")


@deals_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@edge
def deals_export(fmt):
    """Write all deals with every field to stdout."""
    model = current_model()
    from processes.models import Deal
    found = db.session.scalars(filtered(Filters(include_archive=True), model).order_by(Deal.number)).all()
    if fmt == "json":
        by_deal = letters_by_deal([d.id for d in found])
        labels = StatusLabels(model)
        rows = [deal_dict(d, letters=by_deal[d.id], labels=labels) for d in found]
        click.echo(json.dumps({"deals": rows}, ensure_ascii=False, indent=1))
    else:
        click.echo(to_csv(deal_dicts(found, model)), nl=False)


@main.group("process")
def process_group():
    """Process definitions."""


@process_group.command("deploy")
@click.argument("file", type=click.File("rb"))
@click.option("--as", "actor", default="cli")
@edge
def process_deploy(file, actor):
    """Validate and deploy a BPMN file as a new version (none when nothing but layout or order changed)."""
    for row in deploy_source(file.read(), actor):
        if row.created:
            click.echo(f"process {row.process_id} version {row.version}")
        else:
            click.echo(f"process {row.process_id} version {row.version}: no changes, no new version")


@process_group.command("diff")
@click.argument("file", type=click.File("rb"))
@edge
def process_diff(file):
    """What deploying a BPMN file would change against the newest versions; one line per change."""
    for found in diff_source(file.read(), records.of_process):
        for line in diff_lines(found):
            click.echo(line)


@process_group.command("validate")
@click.argument("file", type=click.File("rb"))
@edge
def process_validate(file):
    """Check a BPMN file as a deploy would, deploying nothing; one line per problem."""
    problems = validate_source(file.read())
    for problem in problems:
        click.echo(f"{problem.element_id or '-'}: {problem.reason}")
    if problems:
        sys.exit(3)
    click.echo("valid")


def _echo_migration(results, dry_run):
    verb = "would move" if dry_run else "moved"
    for r in results:
        click.echo(f"deal {r.number}\t{r.status}\tv{r.from_version}\t"
                   + (f"{verb} to v{r.to_version}" if r.moved else f"cannot: {r.reason}"))
    if results.batch_id:
        click.echo(f"batch {results.batch_id} (undo: dealflow process undo-migration deal {results.batch_id})")
    click.echo(f"{sum(r.moved for r in results)} {verb}, {sum(not r.moved for r in results)} cannot")
    if dry_run:
        db.session.rollback()


@process_group.command("migrate")
@click.argument("process_id")
@click.option("--to-version", type=int, required=True)
@click.option("--deal", "numbers", type=int, multiple=True, help="Only this deal (repeat for more).")
@click.option("--dry-run", is_flag=True, help="Say what would move and what cannot, change nothing.")
@edge
def process_migrate(process_id, to_version, numbers, dry_run):
    """Move running deals of PROCESS_ID to version N where the status they sit in still exists."""
    results = migrate_deals(process_id, to_version, None, dry_run=dry_run, numbers=list(numbers) or None)
    _echo_migration(results, dry_run)


@process_group.command("undo-migration")
@click.argument("process_id")
@click.argument("batch_id", type=int)
@click.option("--dry-run", is_flag=True, help="Say what would move back, change nothing.")
@edge
def process_undo_migration(process_id, batch_id, dry_run):
    """Move the deals of migration BATCH_ID back to their versions, those that have not moved since."""
    _echo_migration(undo_migration(process_id, batch_id, None, dry_run=dry_run), dry_run)


@process_group.command("list")
@edge
def process_list():
    """List deployed process definitions."""
    for row, running in deploy.list_definitions():
        click.echo(f"{row.process_id}\tv{row.version}\t{row.deployed_at:%Y-%m-%d %H:%M}\t"
                   f"{row.deployed_by}\t{running} running")


@main.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--workers", type=int, default=None, help="Worker processes (default: 2 × CPUs + 1, at most 12).")
@click.option("--threads", type=int, default=None,
              help="Threads per worker (default 2: gthread workers; 1: sync workers).")
def serve(host, port, workers, threads):
    """Serve the app with gunicorn (see web/serving.py for the defaults)."""
    import os
    from web.serving import gunicorn_command
    argv = gunicorn_command("web.wsgi:app", host, port, workers, threads)
    os.execvp(argv[0], argv)


from mail.commands import mail_group, worker  # noqa: E402  (the mail face's commands)

for _command in mail_group.commands.values():
    refusals_exit(_command)
main.add_command(mail_group)
main.add_command(worker)
