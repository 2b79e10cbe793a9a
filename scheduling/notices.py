"""Telling the client: the invitation email (iMIP REQUEST or CANCEL) and its SMS (R13-R16).

Nothing is sent here: each notice is an outbox effect keyed by the appointment's SEQUENCE, so
a retried transaction or a job run twice sends it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from callq import formats, i18n, notify, texting
from callq.models import Appointment, WaitingEntry
from callq.waiting.phones import display_number
from scheduling import letters, links
from scheduling.agenda import local_zone
from scheduling.invitations import Invitation, Method, appointment_uid, build_calendar

if TYPE_CHECKING:
    from callq.runtime import Runtime

CANCELLING = frozenset({"cancelled", "unstaffed", "given_up"})
ALWAYS_SMS = frozenset({"missed", "unstaffed", "given_up"})  # the client did not expect these
NEVER_SMS = frozenset({"reassigned", "extended"})  # nothing for the client to do
NO_EMAIL_ADDRESS = "client@invalid"  # feeds need an address; RFC 2606 reserves .invalid


def shown_phone(runtime: Runtime, number: str | None, lang: str) -> str:
    """A number as the client reads it: national form at home, international otherwise."""
    if not number:
        return ""
    return display_number(number, lang, home_region=runtime.calendar().spec.holiday_country)


def organizer(runtime: Runtime) -> tuple[str, str]:
    """(name, address) of the sender, the ORGANIZER of every invitation."""
    name, address = parseaddr(runtime.settings.mail_from)
    return name or "Support", address


def mail_domain(runtime: Runtime) -> str:
    """The domain of invitation UIDs and Message-IDs."""
    return organizer(runtime)[1].rpartition("@")[2] or "callq.invalid"


def invitation(runtime: Runtime, appt: Appointment, description: str) -> Invitation:
    """The appointment as an iTIP event: one UID for its life, its current SEQUENCE."""
    name, address = organizer(runtime)
    view = links.manage_links(runtime, appointment_id=appt.id, sequence=appt.sequence,
                              lang=appt.language, until=appt.ends_at)["view"]
    return Invitation(
        uid=appointment_uid(appt.id, mail_domain(runtime)), sequence=appt.sequence,
        start=appt.starts_at, end=appt.ends_at,
        summary=i18n.gettext("Support callback – Hotline", appt.language),
        description=description, organizer_email=address, organizer_name=name,
        attendee_email=appt.client_email or NO_EMAIL_ADDRESS,
        attendee_name=appt.client_name or appt.client_email or "Client", url=view,
    )


def rebook_link(runtime: Runtime, appt: Appointment) -> str:
    """A booking link for the same client and need (after a cancel)."""
    return links.booking_link(runtime, entry_id=appt.entry_id, client_id=appt.client_id,
                              phone=appt.client_phone, email=appt.client_email,
                              lang=appt.language, name=appt.client_name or None,
                              until=rebook_until(runtime))


def rebook_until(runtime: Runtime) -> datetime:
    """Until when a link to book again serves: while the released entry waits for its client."""
    days = max(runtime.settings.link_max_age_days, runtime.settings.client_close_days)
    return runtime.now() + timedelta(days=days)


def need_of(session: Session, appt: Appointment) -> str | None:
    """The need the appointment is about (None when it was booked for no waiting entry)."""
    entry = session.get(WaitingEntry, appt.entry_id) if appt.entry_id else None
    return entry.need_text if entry else None


def announce(session: Session, runtime: Runtime, appt: Appointment, kind: str, *,
             old_start: datetime | None = None,
             offers: Sequence[tuple[datetime, datetime]] = (), count: int = 0) -> None:
    """Queue the email (with its invitation) and, where useful, the SMS of a change of `kind`."""
    lang, zone = appt.language, local_zone(runtime)
    manage = links.manage_links(runtime, appointment_id=appt.id, sequence=appt.sequence,
                                lang=lang, until=appt.ends_at)
    cancelling = kind in CANCELLING
    rebook = rebook_link(runtime, appt) if cancelling else None
    phone = shown_phone(runtime, appt.client_phone, lang)
    values = {"when": letters.when(appt.starts_at, zone, lang), "phone": phone,
              "old": letters.when(old_start, zone, lang) if old_start else "",
              "end": formats.time(appt.ends_at, zone, lang), "count": count}
    body = letters.paragraph(kind, lang, **values)
    need = need_of(session, appt)
    if appt.client_email:
        _email(session, runtime, appt, kind, body, values, manage, rebook, offers, need)
    if appt.client_phone and kind not in NEVER_SMS and (kind in ALWAYS_SMS
                                                        or not appt.client_email):
        url, until = (rebook, rebook_until(runtime)) if rebook else (manage["view"],
                                                                     appt.ends_at)
        text = texting.text(session, runtime, letters.SMS[kind], lang, need=need, url=url,
                            until=until, when=formats.short_when(appt.starts_at, zone, lang))
        notify.queue_sms(session, runtime, key=f"appt-{appt.id}-seq-{appt.sequence}-sms",
                         to=appt.client_phone, body=text)


def _email(session: Session, runtime: Runtime, appt: Appointment, kind: str, body: str,
           values: dict[str, object], manage: dict[str, str], rebook: str | None,
           offers: Sequence[tuple[datetime, datetime]], need: str | None) -> None:
    lang, zone = appt.language, local_zone(runtime)
    method = Method.CANCEL if rebook else Method.REQUEST
    if rebook:
        actions = [(i18n.gettext("Pick a time", lang), rebook)]
        description = body
    else:
        actions = [(i18n.gettext("Move the appointment", lang), manage["move"]),
                   (i18n.gettext("Cancel the appointment", lang), manage["cancel"])]
        description = i18n.gettext("Support will call you on %(phone)s.\nMove: %(move)s\nCancel: "
                                   "%(cancel)s", lang, phone=values["phone"],
                                   move=manage["move"], cancel=manage["cancel"])
    draft = letters.Draft(
        lang=lang, name=appt.client_name, subject=letters.subject(kind, lang, **values),
        paragraphs=[body], facts=_facts(runtime, appt), actions=actions,
        offers=[(letters.when(start, zone, lang), f"{rebook}?start={links.start_stamp(start)}")
                for start, _end in offers] if rebook else [],
        request=texting.request_phrase(need, lang) if need is not None else "",
        brand=texting.brand(runtime, lang),
    )
    mail = letters.render(draft)
    calendar = build_calendar(invitation(runtime, appt, description), method, runtime.now())
    notify.queue_email(session, runtime, key=f"appt-{appt.id}-seq-{appt.sequence}-"
                       f"{method.value.lower()}", to=appt.client_email or "", subject=mail.subject,
                       text=mail.text, html=mail.html, calendar=calendar, method=method.value)


def _facts(runtime: Runtime, appt: Appointment) -> list[tuple[str, str]]:
    lang, zone = appt.language, local_zone(runtime)
    minutes = int((appt.ends_at - appt.starts_at).total_seconds() // 60)
    facts = [(i18n.gettext("Date", lang), letters.when(appt.starts_at, zone, lang)),
             (i18n.gettext("Planned length", lang),
              i18n.gettext("%(minutes)s min", lang, minutes=minutes))]
    if appt.client_phone:
        facts.append((i18n.gettext("Number we call", lang),
                      shown_phone(runtime, appt.client_phone, lang)))
    return facts
