"""Reminders before an appointment (R17): by email and SMS, each sent once.

The timer (scheduling.timers) fires at the set minutes before the start; it re-reads the
appointment and, if it is still booked at that start, queues one email and one SMS whose keys
derive from the timer's own key, so a timer run twice still reminds once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from callq import db, i18n, notify
from callq.models import Appointment, SideEffect
from scheduling import letters, links, timers
from scheduling.agenda import local_zone
from scheduling.notices import shown_phone

if TYPE_CHECKING:
    from callq.runtime import Runtime


def remind(runtime: Runtime, effect: SideEffect) -> None:
    """Queue the reminder email and SMS of a still-current appointment; else do nothing."""
    with db.write(runtime.sessions) as session:
        appt = timers.still_due(session, effect)
        if appt is None:
            return
        manage = links.manage_links(runtime, appointment_id=appt.id, sequence=appt.sequence,
                                    lang=appt.language)
        when = letters.when(appt.starts_at, local_zone(runtime), appt.language)
        if appt.client_email:
            mail = _letter(runtime, appt, manage, when)
            notify.queue_email(session, runtime, key=f"{effect.key}-email", to=appt.client_email,
                               subject=mail.subject, text=mail.text, html=mail.html)
        if appt.client_phone:
            notify.queue_sms(session, runtime, key=f"{effect.key}-sms", to=appt.client_phone,
                             body=letters.sms("reminder", appt.language, when=when,
                                              url=manage["view"]))


def _letter(runtime: Runtime, appt: Appointment, manage: dict[str, str],
            when: str) -> letters.Mail:
    lang = appt.language
    return letters.render(letters.Draft(
        lang=lang, name=appt.client_name, subject=letters.subject("reminder", lang, when=when),
        paragraphs=[letters.paragraph("reminder", lang, when=when,
                                      phone=shown_phone(runtime, appt.client_phone, lang))],
        actions=[(i18n.gettext("Move the appointment", lang), manage["move"]),
                 (i18n.gettext("Cancel the appointment", lang), manage["cancel"])],
    ))
