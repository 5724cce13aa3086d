"""Domain tables: users, counterparties, sources, deals and their history."""
import hashlib
import secrets

from sqlalchemy import func, text
from sqlalchemy.ext.hybrid import hybrid_property
from werkzeug.security import check_password_hash, generate_password_hash

from engine.clock import utcnow
from engine.db import db
from engine.models import WorkflowInstance

ROLES = ("manager", "director", "analyst", "admin")
DEAL_ROLES = ("manager", "director", "admin")  # who creates deals and assignments and may be a deal's responsible


class User(db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(100), nullable=False, unique=True)
    full_name = db.Column(db.String(200), nullable=False, default="")
    email = db.Column(db.String(200), nullable=False, default="")
    role = db.Column(db.String(20), nullable=False)
    password_hash = db.Column(db.String(300), nullable=False)
    token_hash = db.Column(db.String(64), nullable=True, unique=True)
    active = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def new_token(self):
        """Make a fresh API token; only its digest is stored."""
        token = secrets.token_urlsafe(32)
        self.token_hash = token_digest(token)
        return token

    @hybrid_property
    def display_name(self):
        """The name people see: the full name, the username when there is none (in SQL as in Python)."""
        return self.full_name or self.username

    @display_name.inplace.expression
    @classmethod
    def _display_name_sql(cls):
        return func.coalesce(func.nullif(cls.full_name, ""), cls.username)

    # Flask-Login protocol, kept here so the web layer needs no wrapper class.
    is_authenticated = True
    is_anonymous = False
    session_secret = None  # set by processes.sessions for the request's own login session

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        """The login session's secret, not the user id (Flask-Login's "alternative id").

        The cookie then names one server-side session that logout, «log out
        everywhere» or a deactivation can end; a user id would stay valid forever.
        """
        if self.session_secret is None:
            raise RuntimeError("no login session: open one with processes.sessions.open_session")
        return self.session_secret


def token_digest(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Counterparty(db.Model):
    __tablename__ = "counterparties"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(300), nullable=False, index=True)
    inn = db.Column(db.String(12), nullable=True, unique=True)
    kpp = db.Column(db.String(9), nullable=True)
    contacts = db.Column(db.Text, nullable=False, default="")
    active = db.Column(db.Boolean, nullable=False, default=True)


class Source(db.Model):
    __tablename__ = "sources"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False, unique=True)
    active = db.Column(db.Boolean, nullable=False, default=True)


class Counter(db.Model):
    """Named counters (deal numbers): one row updated atomically per value."""

    __tablename__ = "counters"

    name = db.Column(db.String(50), primary_key=True)
    value = db.Column(db.Integer, nullable=False, default=0)


class DealTotal(db.Model):
    """A delta of the deals' running totals by status and responsible: the board's column headers read these
    few rows instead of every deal (``processes.board.column_totals``).

    Written only by the database's triggers on ``deals`` (migration 0018): a deal entering a (status,
    responsible) adds +1 and its budget, leaving it −1 and minus its budget. Rows are only added, so concurrent
    moves never wait on one another here; ``processes.board.fold_totals`` sums them into one row per key.
    """
    __tablename__ = "deal_totals"

    id = db.Column(db.Integer, primary_key=True)
    status = db.Column(db.String(100), nullable=False)
    responsible_id = db.Column(db.Integer, nullable=True)
    deals = db.Column(db.Integer, nullable=False)
    budget = db.Column(db.Numeric(18, 2), nullable=False)


class Deal(db.Model):
    __tablename__ = "deals"
    __table_args__ = (
        # The board reads "the newest cards of one status" (their ids) and sums budgets per status: this
        # index serves both from the index alone, the first without a sort.
        db.Index("ix_deals_status_number", "status", "number", "budget", "id"),
        # A status filter sorted by budget (the biggest deals of a stage) reads its page in index order.
        db.Index("ix_deals_status_budget", "status", "budget"),
        # «My deals, newest first» (the API list and the journal filtered by responsible) reads its page in
        # index order instead of sorting all of one person's deals.
        db.Index("ix_deals_responsible_number", "responsible_id", "number"),
        # One person's newest deals of a status, their ids from the index alone: a column's page of the board
        # filtered by responsible, and the journal filtered by both.
        db.Index("ix_deals_responsible_status_number", "responsible_id", "status", "number", "id"),
        # The forecast: the open deals (by status) with their expected close and budget, from the index alone.
        db.Index("ix_deals_status_expected_close", "status", "expected_close", "budget"),
        # A deal's status by its id from the index alone: the header's «Мои задачи» count checks the deal of
        # each due activity (``tasks.inbox._due_activities``), on every page.
        db.Index("ix_deals_id_status", "id", "status"),
        # The deals with a task that is their responsible's (``responsible_tasks``), by responsible and status:
        # the header's «Мои задачи» count walks only those, not one person's every open deal.
        db.Index("ix_deals_responsible_tasks", "responsible_id", "status", "workflow_id",
                 postgresql_where=text("responsible_tasks > 0"), sqlite_where=text("responsible_tasks > 0")),
    )

    id = db.Column(db.Integer, primary_key=True)
    number = db.Column(db.Integer, nullable=False, unique=True)
    name = db.Column(db.String(300), nullable=False, default="")
    company = db.Column(db.String(300), nullable=False, default="")
    counterparty_id = db.Column(db.Integer, db.ForeignKey("counterparties.id"), nullable=True, index=True)
    budget = db.Column(db.Numeric(18, 2), nullable=True)
    responsible_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    description = db.Column(db.Text, nullable=False, default="")
    contact_name = db.Column(db.String(300), nullable=False, default="")
    phone = db.Column(db.String(50), nullable=False, default="")
    sender_email = db.Column(db.String(300), nullable=False, default="")
    source_id = db.Column(db.Integer, db.ForeignKey("sources.id"), nullable=True, index=True)
    contact_id = db.Column(db.Integer, db.ForeignKey("contacts.id"), nullable=True, index=True)  # the primary one
    site_email = db.Column(db.String(300), nullable=False, default="")
    site_referrer = db.Column(db.String(1000), nullable=False, default="")
    ga_client_id = db.Column(db.String(100), nullable=False, default="")
    ym_client_id = db.Column(db.String(100), nullable=False, default="")
    mail_message = db.Column(db.Text, nullable=False, default="")
    status = db.Column(db.String(100), nullable=False, index=True)
    stage = db.Column(db.String(100), nullable=False, default="")
    status_changed_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    workflow_id = db.Column(db.Integer, db.ForeignKey("workflow_instances.id"), nullable=True, unique=True)
    version = db.Column(db.Integer, nullable=False)
    expected_close = db.Column(db.Date, nullable=True)  # «Ожидаемая дата закрытия»: the forecast's month
    # How many of the deal's own ready tasks are its responsible's (in the manager lane, owned by no data
    # variable): kept by the database's triggers (migration 0021), never written here; read only as a filter.
    responsible_tasks = db.deferred(db.Column(db.Integer, nullable=False, server_default="0"))
    # The time of its latest history entry, note or activity event (NULL without any), for its last touch
    # (``processes.rotting.last_touch``): kept by the database's triggers (migration 0024), never written here.
    touched_at = db.deferred(db.Column(db.DateTime, nullable=True))

    counterparty = db.relationship(Counterparty)
    responsible = db.relationship(User)
    source = db.relationship(Source)
    contact = db.relationship("Contact")
    workflow = db.relationship(WorkflowInstance)

    __mapper_args__ = {"version_id_col": version}


class RefusalReason(db.Model):
    """A «Причины отказа» entry: offered when a deal is refused, counted by processes.analytics."""

    __tablename__ = "refusal_reasons"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False, unique=True)
    active = db.Column(db.Boolean, nullable=False, default=True)


# The kinds of history entries that set a deal's status (the others: claim, error).
STATUS_KINDS = ("created", "move", "decision", "migrated", "retry", "timer")


def ends_a_stay(kind, from_status, to_status):
    """Whether an entry ends a stay: it sets a status, and changes it (a migration keeping it does not)."""
    return kind in STATUS_KINDS and from_status is not None and to_status is not None and from_status != to_status


def changes(history):
    """WHERE conditions on a history table: its entries that changed the status (a creation included)."""
    return (history.kind.in_(STATUS_KINDS), history.to_status.is_not(None),
            db.or_(history.from_status.is_(None), history.from_status != history.to_status))


def last_change_at(deal_id):
    """SQL: when the deal ``deal_id`` (a value or a bind parameter) last changed its status, from its history.

    What ``deal_history.entered_at`` of an entry ending a stay is: an entry is written after the deal's
    earlier ones (one entry per deal and statement), so the latest change in the table is the previous one.
    """
    h = DealHistory.__table__.c
    return db.select(h.at).where(h.deal_id == deal_id, *changes(h)).order_by(h.id.desc()).limit(1).scalar_subquery()


def _entered_at(context):
    """The default of ``deal_history.entered_at``: when the status an entry leaves was entered.

    ``last_change_at`` for an entry that ends a stay; None for the others. Every entry written through the
    ORM or a plain INSERT gets it here; ``history.write_status`` (every move) puts the same subquery into
    its one INSERT instead of a look-up before it (``DealHistory.stay_began``). Migration 0016 backfilled
    the entries written before.
    """
    row = context.get_current_parameters()
    kind = row.get("kind") or DealHistory.__table__.c.kind.default.arg
    if row.get("deal_id") is None or not ends_a_stay(kind, row.get("from_status"), row.get("to_status")):
        return None
    return context.connection.execute(db.select(last_change_at(row["deal_id"]))).scalar()


class DealHistory(db.Model):
    """One status change (or claim, or creation) of a deal: who, when, from, to, why."""

    __tablename__ = "deal_history"
    __table_args__ = (
        # A deal's entries in order (its history; the latest change, read by every move's INSERT, is the
        # first entry looked at); the funnel reads the statuses the deals created in a period entered from it alone.
        db.Index("ix_deal_history_deal_id", "deal_id", "id", "to_status", "kind"),
        # A deal's newest entry by time, its last touch (``rotting.last_touch``, on every card and journal row of a
        # status with rotDays): one probe of this index, not a read of each of the deal's entries.
        db.Index("ix_deal_history_deal_at", "deal_id", "at"),
        # Analytics reads the entries of a period (the deals a period touched) and the entries of a period
        # into one status (closed, won, refused, with the reason): both answered from the index alone.
        db.Index("ix_deal_history_at", "at", "deal_id"),
        db.Index("ix_deal_history_to_status_at", "to_status", "at", "deal_id", "kind", "reason_id", "id"),
        # The stays that ended in a period (time in status, transitions): a range of this index alone.
        db.Index("ix_deal_history_stays", "at", "from_status", "to_status", "entered_at", "deal_id",
                 postgresql_where=db.text("entered_at IS NOT NULL"), sqlite_where=db.text("entered_at IS NOT NULL")),
    )

    id = db.Column(db.Integer, primary_key=True)
    deal_id = db.Column(db.Integer, db.ForeignKey("deals.id", ondelete="CASCADE"), nullable=False)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    kind = db.Column(db.String(20), nullable=False, default="move")  # created, move, decision, claim
    from_status = db.Column(db.String(100), nullable=True)
    to_status = db.Column(db.String(100), nullable=True)
    comment = db.Column(db.Text, nullable=False, default="")
    reason_id = db.Column(db.Integer, db.ForeignKey("refusal_reasons.id"), nullable=True)
    # When the status this entry leaves (from_status) was entered, on an entry that ends a stay
    # (``ends_a_stay``): the stay is entered_at → at. Written by its default (``_entered_at``) or, in a
    # move's INSERT, by the same subquery (``stay_began``).
    entered_at = db.Column(db.DateTime, nullable=True, default=_entered_at)

    # For a plain INSERT of a move (``history.write_status``): which entries end a stay, and the SQL of
    # when it began (given the deal id's bind parameter), read inside that INSERT.
    ends_a_stay = staticmethod(ends_a_stay)
    stay_began = staticmethod(last_change_at)

    user = db.relationship(User, lazy="joined")
