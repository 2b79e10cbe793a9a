"""Each agent's calendar feed (R13): a secret .ics URL their calendar application subscribes to.

The URL's token (Agent.feed_token) is the only key, as calendar applications cannot log in;
an unknown token or a disabled agent gets 404. Events keep the invitation's UID and SEQUENCE.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from flask import Blueprint, Response, abort, current_app
from sqlalchemy import select

from callq import db, i18n
from callq.models import Agent, Appointment, WaitingEntry
from callq.status import AppointmentStatus
from scheduling import agenda, notices
from scheduling.invitations import Invitation, build_feed

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from callq.runtime import Runtime

blueprint = Blueprint("feed", __name__)
PAST = timedelta(days=30)  # how far back a feed reaches: recent calls stay visible
LISTED = (*agenda.ACTIVE, AppointmentStatus.DONE)


@blueprint.get("/feed/<token>.ics")
def agent_feed(token: str) -> Response:
    """The agent's appointments from a month ago on, as METHOD:PUBLISH."""
    runtime: Runtime = current_app.extensions["callq"]
    now = runtime.now()
    with db.read(runtime.sessions) as session:
        agent = session.scalar(select(Agent).where(Agent.feed_token == token,
                                                   Agent.active.is_(True)))
        if agent is None or not token:
            abort(404)
        rows = session.scalars(select(Appointment).where(
            Appointment.agent_id == agent.id, Appointment.status.in_(LISTED),
            Appointment.ends_at >= now - PAST).order_by(Appointment.starts_at))
        events = [_event(session, runtime, appt, agent.language) for appt in rows]
        name = i18n.gettext("Appointments of %(agent)s", agent.language, agent=agent.name)
    body = build_feed(events, name=name, stamp=now)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def _event(session: Session, runtime: Runtime, appt: Appointment, lang: str) -> Invitation:
    entry = session.get(WaitingEntry, appt.entry_id) if appt.entry_id else None
    description = i18n.gettext(
        "Client: %(name)s\nPhone: %(phone)s\nNeed: %(need)s", lang, name=appt.client_name or "-",
        phone=notices.shown_phone(runtime, appt.client_phone, lang),
        need=(entry.need_text if entry and entry.need_text else "-"))
    planner = f"{runtime.settings.public_base_url.rstrip('/')}/planner/"
    summary = i18n.gettext("Callback – %(name)s", lang, name=appt.client_name or "-")
    return replace(notices.invitation(runtime, appt, description), url=planner, summary=summary)
