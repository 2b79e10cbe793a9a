"""Reminders before an appointment (R17): by email and SMS, each sent once.

The timer (scheduling.timers) fires at the set minutes before the start; it re-reads the
appointment and, if it is still booked at that start, queues one email and one SMS whose keys
derive from the timer's own key, so a timer run twice still reminds once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from callq import db, formats, i18n, notify, texting
from callq.models import Appointment, SideEffect
from scheduling import letters, links, timers
from scheduling.agenda import local_zone
from scheduling.notices import need_of, shown_phone

if TYPE_CHECKING:
    from callq.runtime import Runtime


def remind(runtime: Runtime, effect: SideEffect) -> None:
    """Queue the reminder email and SMS of a still-current appointment; else do nothing."""
    with db.write(runtime.sessions) as session:
        appt = timers.still_due(session, effect)
        if appt is None:
            return
        manage = links.manage_links(runtime, appointment_id=appt.id, sequence=appt.sequence,
                                    lang=appt.language, until=appt.ends_at)
        zone, lang, need = local_zone(runtime), appt.language, need_of(session, appt)
        when = letters.when(appt.starts_at, zone, lang)
        if appt.client_email:
            mail = _letter(runtime, appt, manage, when, need)
            notify.queue_email(session, runtime, key=f"{effect.key}-email", to=appt.client_email,
                               subject=mail.subject, text=mail.text, html=mail.html)
        if appt.client_phone:
            text = texting.text(session, runtime, letters.SMS["reminder"], lang, need=need,
                                url=manage["view"], until=appt.ends_at,
                                when=formats.short_when(appt.starts_at, zone, lang))
            notify.queue_sms(session, runtime, key=f"{effect.key}-sms", to=appt.client_phone,
                             body=text)


def _letter(runtime: Runtime, appt: Appointment, manage: dict[str, str],
            when: str, need: str | None) -> letters.Mail:
    lang = appt.language
    return letters.render(letters.Draft(
        lang=lang, name=appt.client_name, subject=letters.subject("reminder", lang, when=when),
        paragraphs=[letters.paragraph("reminder", lang, when=when,
                                      phone=shown_phone(runtime, appt.client_phone, lang))],
        actions=[(i18n.gettext("Move the appointment", lang), manage["move"]),
                 (i18n.gettext("Cancel the appointment", lang), manage["cancel"])],
        request=texting.request_phrase(need, lang) if need is not None else "",
        brand=texting.brand(runtime, lang),
    ))
