"""Each agent's calendar feed (R13) as a use case: their appointments from a month ago on, as
one METHOD:PUBLISH calendar; events keep the invitation's UID and SEQUENCE."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from callq import db, i18n
from callq.models import Agent, Appointment, WaitingEntry
from callq.status import AppointmentStatus
from scheduling import agenda, notices
from scheduling.invitations import Invitation, build_feed

if TYPE_CHECKING:
    from callq.runtime import Runtime

PAST = timedelta(days=30)  # how far back a feed reaches: recent calls stay visible
LISTED = (*agenda.ACTIVE, AppointmentStatus.DONE)


def agent_feed(runtime: Runtime, token: str) -> bytes | None:
    """The feed of the active agent whose secret token this is; None for no such agent."""
    if not token:
        return None
    now = runtime.now()
    with db.read(runtime.sessions) as session:
        agent = session.scalar(select(Agent).where(Agent.feed_token == token,
                                                   Agent.active.is_(True)))
        if agent is None:
            return None
        rows = session.scalars(select(Appointment).where(
            Appointment.agent_id == agent.id, Appointment.status.in_(LISTED),
            Appointment.ends_at >= now - PAST).order_by(Appointment.starts_at))
        events = [_event(session, runtime, appt, agent.language) for appt in rows]
        name = i18n.gettext("Appointments of %(agent)s", agent.language, agent=agent.name)
    return build_feed(events, name=name, stamp=now)


def _event(session: Session, runtime: Runtime, appt: Appointment, lang: str) -> Invitation:
    entry = session.get(WaitingEntry, appt.entry_id) if appt.entry_id else None
    description = i18n.gettext(
        "Client: %(name)s\nPhone: %(phone)s\nNeed: %(need)s", lang, name=appt.client_name or "-",
        phone=notices.shown_phone(runtime, appt.client_phone, lang),
        need=(entry.need_text if entry and entry.need_text else "-"))
    planner = f"{runtime.settings.public_base_url.rstrip('/')}/planner/"
    summary = i18n.gettext("Callback – %(name)s", lang, name=appt.client_name or "-")
    return replace(notices.invitation(runtime, appt, description), url=planner, summary=summary)
