"""A client who solved it alone cancels their callback from the link in our emails (R10):
link -> confirmation page -> entry closed "cancelled_by_client". Idempotent; a forged, altered
or expired link gets a clear page and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import Blueprint, current_app, render_template

from callq import db
from callq.i18n import N_
from callq.models import WaitingEntry
from callq.status import EntryStatus, Outcome
from callq.tokens import LinkError
from callq.workspace import transitions
from callq.workspace.links import max_age, read_cancel

if TYPE_CHECKING:
    from callq.runtime import Runtime

blueprint = Blueprint("cancel", __name__)
CANCELLABLE = (EntryStatus.WAITING, EntryStatus.CLAIMED, EntryStatus.AWAITING_CLIENT)
_LINK_STATUS = {"invalid": 400, "expired": 410}


def cancel_by_client(runtime: Runtime, entry_id: int) -> str:
    """Close the entry for its client: "cancelled", "already_closed", "booked" or "unknown"."""
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        entry = session.get(WaitingEntry, entry_id, with_for_update=True)
        if entry is None:
            return "unknown"
        if entry.status == EntryStatus.BOOKED:
            return "booked"  # an appointment is cancelled from its own invitation's link
        if entry.status not in CANCELLABLE:
            return "already_closed"
        transitions.close(session, entry, Outcome.CANCELLED_BY_CLIENT, now, agent_id=None,
                          actor="client")
        return "cancelled"


def _entry_state(runtime: Runtime, entry_id: int) -> str:
    with db.read(runtime.sessions) as session:
        entry = session.get(WaitingEntry, entry_id)
    if entry is None:
        return "unknown"
    if entry.status == EntryStatus.BOOKED:
        return "booked"
    return "confirm" if entry.status in CANCELLABLE else "already_closed"


def _answer(token: str, act: Callable[[Runtime, int], str]) -> tuple[str, int]:
    runtime: Runtime = current_app.extensions["callq"]
    try:
        entry_id = read_cancel(runtime.settings.secret_key, token, runtime.now(),
                               max_age(runtime))
    except LinkError as refused:
        return _page("refused", reason=refused.reason), _LINK_STATUS[refused.reason]
    state = act(runtime, entry_id)
    return _page(state, token=token), 404 if state == "unknown" else 200


@blueprint.get("/cancel/<token>")
def confirm(token: str) -> tuple[str, int]:
    """Ask the client to confirm (a GET changes nothing: mail scanners follow links)."""
    return _answer(token, _entry_state)


@blueprint.post("/cancel/<token>")
def cancel(token: str) -> tuple[str, int]:
    """Cancel the callback (again: the same answer, nothing more changes)."""
    return _answer(token, cancel_by_client)


def _page(state: str, **values: object) -> str:
    return render_template("agents/cancel.html", state=state, states=STATES,
                           refusals=REFUSALS, **values)


# What the page says in each state, and for each reason a link is refused.
STATES = {
    "cancelled": N_("Done: your request is cancelled. Thank you for letting us know."),
    "already_closed": N_("This request is already closed: there is nothing to cancel."),
    "booked": N_("This request has an appointment: cancel it from the link in the invitation "
                 "you received."),
    "unknown": N_("We cannot find this request."),
}
REFUSALS = {
    "invalid": N_("This link is not valid (perhaps it was copied wrongly). Nothing was changed."),
    "expired": N_("This link has expired. Nothing was changed: call us if needed."),
}
