"""The cancel page (R10): link -> confirmation page -> entry closed "cancelled_by_client"
(callq.workspace.client_cancel). A forged, altered or expired link gets a clear page and
changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import Blueprint, current_app, render_template

from callq.i18n import N_
from callq.tokens import LinkError
from callq.workspace import client_cancel

if TYPE_CHECKING:
    from callq.runtime import Runtime

blueprint = Blueprint("cancel", __name__)
_LINK_STATUS = {"invalid": 400, "expired": 410}


def _answer(token: str, act: Callable[[Runtime, int], str]) -> tuple[str, int]:
    runtime: Runtime = current_app.extensions["callq"]
    try:
        entry_id = client_cancel.entry_of_link(runtime, token)
    except LinkError as refused:
        return _page("refused", reason=refused.reason), _LINK_STATUS[refused.reason]
    state = act(runtime, entry_id)
    return _page(state, token=token), 404 if state == "unknown" else 200


@blueprint.get("/cancel/<token>")
def confirm(token: str) -> tuple[str, int]:
    """Ask the client to confirm (a GET changes nothing: mail scanners follow links)."""
    return _answer(token, client_cancel.cancel_state)


@blueprint.post("/cancel/<token>")
def cancel(token: str) -> tuple[str, int]:
    """Cancel the callback (again: the same answer, nothing more changes)."""
    return _answer(token, client_cancel.cancel_by_client)


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
