"""What a waiting client is sent about a freed slot: the offer (first to accept gets it) and,
when another client took it, that it is gone; by email when the address is known, else SMS.
Each once (its outbox key), naming the request, with the hotline's number."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from callq import formats, i18n, notify, texting
from callq.i18n import N_
from callq.models import Client, WaitingEntry, WaitlistOffer
from scheduling import letters, links
from scheduling.agenda import local_zone

if TYPE_CHECKING:
    from callq.runtime import Runtime

SUBJECTS = {"offer": N_("A callback slot is free – %(when)s"),
            "gone": N_("The callback slot of %(when)s is taken")}
BODIES = {
    "offer": N_("A callback slot has just become free on %(when)s. It is offered to a few "
                "clients waiting in the list: the first to accept gets it. The offer stands "
                "until %(until)s."),
    "gone": N_("The slot of %(when)s has been taken by another client. You keep your place in "
               "the list, and we will call you back."),
}
SMS = {
    "offer": N_("%(brand)s, %(need)s: a callback slot is free %(when)s. First to accept gets "
                "it: %(url)s"),
    "gone": N_("%(brand)s, %(need)s: the slot of %(when)s is taken. You keep your place in the "
               "list."),
}


def send_offer(session: Session, runtime: Runtime, offer: WaitlistOffer) -> None:
    """Offer the slot to the entry's client."""
    _send(session, runtime, offer, "offer")


def send_gone(session: Session, runtime: Runtime, offer: WaitlistOffer) -> None:
    """Tell the entry's client the slot they were offered is taken."""
    _send(session, runtime, offer, "gone")


def _send(session: Session, runtime: Runtime, offer: WaitlistOffer, kind: str) -> None:
    entry = session.get(WaitingEntry, offer.entry_id)
    if entry is None:
        return
    client = session.get(Client, entry.client_id) if entry.client_id else None
    lang, zone = i18n.supported(entry.language), local_zone(runtime)
    url = links.offer_link(runtime, offer_id=offer.id, lang=lang, until=offer.expires_at)
    key = f"waitlist-{offer.id}-{kind}"
    if client and client.email:
        values = {"when": formats.when(offer.starts_at, zone, lang),
                  "until": formats.time(offer.expires_at, zone, lang)}
        actions = [(i18n.gettext("Take this slot", lang), url)] if kind == "offer" else []
        mail = letters.render(letters.Draft(
            lang=lang, name=client.name, subject=i18n.gettext(SUBJECTS[kind], lang, **values),
            paragraphs=[i18n.gettext(BODIES[kind], lang, **values)], actions=actions,
            request=texting.request_phrase(entry.need_text, lang),
            brand=texting.brand(runtime, lang)))
        notify.queue_email(session, runtime, key=key, to=client.email, subject=mail.subject,
                           text=mail.text, html=mail.html)
    elif entry.caller_number:
        body = texting.text(session, runtime, SMS[kind], lang, need=entry.need_text,
                            url=url if kind == "offer" else None, until=offer.expires_at,
                            when=formats.short_when(offer.starts_at, zone, lang))
        notify.queue_sms(session, runtime, key=key, to=entry.caller_number, body=body)
