"""The timers pool's effects: everything due at a time that only reads and writes the database
(filing a call, claims that lapse, reminders, appointments' checks and calls, wrap-ups)."""

from __future__ import annotations

from collections.abc import Mapping

from callq import intake, probe
from callq.calls import bridge
from callq.runtime import Handler
from callq.workspace import claims
from callq.workspace import reminders as client_reminders
from scheduling import guarantee, offers, timers
from scheduling import reminders as appointment_reminders

EFFECTS: Mapping[str, Handler] = {
    "probe": probe.probe,
    "intake_finalize": intake.finalize,
    intake.FILE: intake.file_need,
    claims.EXPIRY: claims.expire,
    "client_reminder": client_reminders.remind,
    "client_close": client_reminders.close_unanswered,
    "bridge_settle": bridge.settle,
    timers.CHECK: guarantee.check_staffing,
    timers.CALL: guarantee.call_at_booked_time,
    guarantee.WRAPUP: guarantee.wrap_up,
    timers.REMINDER: appointment_reminders.remind,
    offers.KIND: offers.offer_freed_slot,
}
