"""Who may do what: checked here, in the domain, whatever face asks."""
from processes.errors import Forbidden


def allows(check, *args):
    """Whether a ``require_…`` check of this module lets the call through."""
    try:
        check(*args)
        return True
    except Forbidden:
        return False


def require_role(user, *roles):
    if user is None or user.role not in roles:
        raise Forbidden(f"this needs the role {' or '.join(roles)}")


def require_can_edit(user, deal):
    """Edit a deal's fields: its responsible, a director or an admin."""
    if user is None:
        raise Forbidden("log in first")
    if user.role in ("director", "admin"):
        return
    if user.role == "manager" and deal.responsible_id in (None, user.id):
        return
    raise Forbidden(f"only the responsible manager may edit deal {deal.number}")


def require_can_act(user, deal, lane):
    """Act on a deal's task in ``lane`` (whose id is the role that works it).

    Admins act anywhere; a director also acts in the manager lane; a manager
    acts on deals they are responsible for, or that have no responsible yet.
    """
    if user is None:
        raise Forbidden("log in first")
    if user.role == "admin":
        return
    if lane and lane != "manager" and user.role != lane:
        raise Forbidden(f"only a {lane} acts on deal {deal.number} in this status", why=f"lane:{lane}")
    if user.role == "director":
        return
    if user.role != "manager":
        raise Forbidden(f"the role {user.role} does not move deals", why="role")
    if deal.responsible_id not in (None, user.id):
        raise Forbidden(f"deal {deal.number} belongs to another manager", why="another_manager")


def require_can_see(user, deal):
    """See a deal and what hangs on it (its card, assignments, their files).

    The team shares one pipeline: every signed-in, active user sees every deal
    (the journal, the board and the card show them all); only a missing or
    deactivated user is refused.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "active", False):
        raise Forbidden("log in first")


def require_can_see_deals(user):
    """See the pipeline's deals and what gathers them (a counterparty's card): every signed-in, active user."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "active", False):
        raise Forbidden("log in first")
