"""The cancel page (R10): link -> confirmation page -> entry closed "cancelled_by_client"
(callq.workspace.client_cancel). A forged, altered or expired link gets a clear page and
changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import Blueprint, current_app, g, render_template

from callq import i18n
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
    return render_template("agents/cancel.html", state=state, lang=g.get("lang", "fr"), **values)


i18n.register({
    "fr": {
        "cancel.title": "Votre demande de rappel",
        "cancel.confirm": "Vous avez résolu votre problème ? Confirmez, et nous ne vous "
                          "rappellerons pas pour cette demande.",
        "cancel.submit": "Oui, annuler ma demande de rappel",
        "cancel.cancelled": "C'est noté : votre demande est annulée. Merci de nous avoir "
                            "prévenus.",
        "cancel.already_closed": "Cette demande est déjà close : il n'y a rien à annuler.",
        "cancel.booked": "Cette demande a un rendez-vous : annulez-le depuis le lien de "
                         "l'invitation que vous avez reçue.",
        "cancel.unknown": "Nous ne trouvons pas cette demande.",
        "cancel.refused.invalid": "Ce lien n'est pas valide (il a peut-être été mal copié). "
                                  "Rien n'a été changé.",
        "cancel.refused.expired": "Ce lien a expiré. Rien n'a été changé : appelez-nous si "
                                  "besoin.",
    },
    "en": {
        "cancel.title": "Your callback request",
        "cancel.confirm": "Have you solved your problem? Confirm, and we will not call you "
                          "back about this request.",
        "cancel.submit": "Yes, cancel my callback request",
        "cancel.cancelled": "Done: your request is cancelled. Thank you for letting us know.",
        "cancel.already_closed": "This request is already closed: there is nothing to cancel.",
        "cancel.booked": "This request has an appointment: cancel it from the link in the "
                         "invitation you received.",
        "cancel.unknown": "We cannot find this request.",
        "cancel.refused.invalid": "This link is not valid (perhaps it was copied wrongly). "
                                  "Nothing was changed.",
        "cancel.refused.expired": "This link has expired. Nothing was changed: call us if "
                                  "needed.",
    },
})
