"""The waitlist's use cases (scheduling.waitlist holds the rules): a freed afternoon slot is
offered to waiting clients in list order, by an outbox effect after the change that freed it;
the first to accept books it through the planner (its lifecycle and the overlap constraint
decide a race), and the others are told it is gone. This module is the only writer of an
offer's status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from callq import db, effects, entry_writer, history, i18n
from callq.callers import is_mobile
from callq.models import Appointment, Client, WaitingEntry, WaitlistOffer
from callq.standing import order_columns
from callq.status import EntryStatus
from callq.tokens import LinkError
from callq.waiting import lifecycle as entry_lifecycle
from scheduling import agenda, links, offer_notices, waitlist
from scheduling.booking import SlotTaken, book_slot

if TYPE_CHECKING:
    from callq.models import SideEffect
    from callq.runtime import Runtime

KIND = "waitlist_offer"
OFFERABLE = (EntryStatus.WAITING, EntryStatus.AWAITING_CLIENT)
SCANNED = 200  # entries of the list looked at for one slot, from the top


@dataclass(frozen=True)
class OfferView:
    """An offer as its page shows it."""

    id: int
    status: str  # waitlist's statuses; "offered" past its expiry reads "expired"
    starts_at: datetime
    ends_at: datetime
    need: str
    lang: str


def slot_freed(session: Session, runtime: Runtime, start: datetime, end: datetime) -> None:
    """A slot became free (a cancel, a move, a no-show): offer it after this commit."""
    now = runtime.now()
    if waitlist.expiry(now, start, runtime.settings.waitlist_offer_minutes,
                       runtime.settings.min_notice_minutes) is None:
        return  # too close: nobody could be offered it
    effects.schedule(session, key=f"waitlist-{links.start_stamp(start)}-{now.isoformat()}",
                     kind=KIND, payload={"start": start.isoformat(), "end": end.isoformat()},
                     due_at=now, now=now)


def offer_freed_slot(runtime: Runtime, effect: SideEffect) -> None:
    """Offer a freed slot to the first suitable waiting clients (safe to run twice)."""
    start = datetime.fromisoformat(effect.payload["start"])
    end = datetime.fromisoformat(effect.payload["end"])
    settings, now = runtime.settings, runtime.now()
    with db.write(runtime.sessions) as session:
        until = waitlist.expiry(now, start, settings.waitlist_offer_minutes,
                                settings.min_notice_minutes)
        if until is None or not _free(session, runtime, start):
            return
        _expire_stale(session, now)
        if session.scalar(select(WaitlistOffer.id).where(WaitlistOffer.starts_at == start,
                                                         WaitlistOffer.status == "offered")):
            return  # this slot is already on offer (the effect ran before)
        for entry_id in waitlist.choose(_waiting(session), settings.waitlist_offer_size):
            _offer(session, runtime, entry_id, start, end, until)


def _free(session: Session, runtime: Runtime, start: datetime) -> bool:
    slots = agenda.open_slots(session, runtime, after=start, limit=1)
    return bool(slots) and slots[0].start == start


def _waiting(session: Session) -> list[waitlist.Waiting]:
    rows = session.execute(
        select(WaitingEntry, Client).outerjoin(Client, WaitingEntry.client_id == Client.id)
        .where(WaitingEntry.status.in_(OFFERABLE)).order_by(*order_columns()).limit(SCANNED)
    ).all()
    open_ids = set(session.scalars(select(WaitlistOffer.entry_id)
                                   .where(WaitlistOffer.status == "offered")))
    return [waitlist.Waiting(entry.id, entry.vague, bool(client and client.email)
                             or is_mobile(entry.caller_number), entry.id in open_ids)
            for entry, client in rows]


def _offer(session: Session, runtime: Runtime, entry_id: int, start: datetime, end: datetime,
           until: datetime) -> None:
    offer = WaitlistOffer(entry_id=entry_id, starts_at=start, ends_at=end, status="offered",
                          offered_at=runtime.now(), expires_at=until, version=0)
    apply(session, offer, waitlist.Offered(at=runtime.now(), starts_at=start, expires_at=until,
                                           notice_minutes=runtime.settings.min_notice_minutes),
          opening=True)
    session.add(offer)
    session.flush()
    offer_notices.send_offer(session, runtime, offer)


def apply(session: Session, offer: WaitlistOffer, event: waitlist.Event, *,
          opening: bool = False) -> waitlist.OfferState:
    """Run `event` on the offer (locked by the caller), write its status and history."""
    after, records = waitlist.transition(None if opening else state_of(offer), event)
    offer.status, offer.version = after.status, after.version
    if event.name != "offered":
        offer.answered_at = event.at
    for line in records:
        history.record_event(session, offer.entry_id, line.kind, at=line.at, actor=line.actor,
                             detail={"start": offer.starts_at.isoformat(), **line.detail})
    return after


def state_of(offer: WaitlistOffer) -> waitlist.OfferState:
    """The offer as its lifecycle sees it."""
    return waitlist.OfferState(offer.status, offer.starts_at, offer.expires_at, offer.version)


def _expire_stale(session: Session, now: datetime) -> None:
    stale = session.scalars(select(WaitlistOffer).where(
        WaitlistOffer.status == "offered", WaitlistOffer.expires_at <= now).with_for_update())
    for offer in stale:
        apply(session, offer, waitlist.Expired(at=now))


def read_offer(runtime: Runtime, grant: links.OfferGrant) -> OfferView:
    """The offer a link names, as it stands now."""
    with db.read(runtime.sessions) as session:
        offer = session.get(WaitlistOffer, grant.offer_id)
        if offer is None:
            raise LinkError("unknown")
        return _view(session, runtime, offer, grant.lang)


def _view(session: Session, runtime: Runtime, offer: WaitlistOffer, lang: str) -> OfferView:
    entry = session.get(WaitingEntry, offer.entry_id)
    status = offer.status
    if status == "offered" and offer.expires_at <= runtime.now():
        status = "expired"
    return OfferView(offer.id, status, offer.starts_at, offer.ends_at,
                     " ".join(((entry.need_text if entry else "") or "").split()), lang)


def accept(runtime: Runtime, grant: links.OfferGrant) -> tuple[str, str | None]:
    """Take the offered slot: ("accepted", manage path), or (why not, None): "gone",
    "expired", "too_late", "closed"; a refusal that changes the offer is committed."""
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        offer = session.get(WaitlistOffer, grant.offer_id, with_for_update=True)
        if offer is None:
            raise LinkError("unknown")
        event = waitlist.Accepted(at=now, notice_minutes=runtime.settings.min_notice_minutes)
        try:
            waitlist.transition(state_of(offer), event)
        except waitlist.IllegalTransition as refused:
            return _refused(session, offer, refused, now), None
        entry = session.get(WaitingEntry, offer.entry_id, with_for_update=True)
        if entry is None or not entry_lifecycle.allows(entry_writer.state_of(entry),
                                                       entry_lifecycle.Booked(at=now)):
            apply(session, offer, waitlist.Gone(at=now))
            return "closed", None
        try:
            appt = _book(session, runtime, offer, entry, grant.lang)
        except SlotTaken:
            apply(session, offer, waitlist.Gone(at=now))
            return "gone", None
        apply(session, offer, event)
        offer.appointment_id = appt.id
        _tell_the_others(session, runtime, offer, now)
        token = links.manage_token(runtime, appointment_id=appt.id, sequence=appt.sequence,
                                   lang=appt.language, until=appt.ends_at)
        return "accepted", f"/book/appointment/{token}"


def _refused(session: Session, offer: WaitlistOffer, refused: waitlist.IllegalTransition,
             now: datetime) -> str:
    if refused.reason == "expired":
        apply(session, offer, waitlist.Expired(at=now))
        return "expired"
    if refused.reason == "too_late":
        apply(session, offer, waitlist.Gone(at=now))
        return "too_late"
    return str(refused.status) if refused.status in ("gone", "expired") else "closed"


def _book(session: Session, runtime: Runtime, offer: WaitlistOffer, entry: WaitingEntry,
          lang: str) -> Appointment:
    client = session.get(Client, entry.client_id) if entry.client_id else None
    return book_slot(session, runtime, start=offer.starts_at,
                     client_name=client.name if client else "",
                     client_email=client.email if client else None,
                     client_phone=entry.caller_number, client_id=entry.client_id,
                     entry_id=entry.id, lang=i18n.supported(lang))


def _tell_the_others(session: Session, runtime: Runtime, taken: WaitlistOffer,
                     now: datetime) -> None:
    rivals = session.scalars(select(WaitlistOffer).where(
        WaitlistOffer.starts_at == taken.starts_at, WaitlistOffer.status == "offered",
        WaitlistOffer.id != taken.id).with_for_update())
    for offer in rivals:
        apply(session, offer, waitlist.Gone(at=now))
        offer_notices.send_gone(session, runtime, offer)
