"""The literal tables of the use cases the outbox runs: one per effect kind, and one per
purpose of a bridged call. Composition roots hand them to the runtime (callq.bootstrap)."""

from __future__ import annotations

from collections.abc import Mapping

from callq import intake, notify, probe
from callq.calls import bridge
from callq.calls.bridge import ResultHandler
from callq.runtime import Handler
from callq.workspace import callback, claims
from callq.workspace import reminders as client_reminders
from scheduling import guarantee, offers, timers
from scheduling import reminders as appointment_reminders

EFFECTS: Mapping[str, Handler] = {
    "email": notify.send_email,
    "sms": notify.send_sms,
    "probe": probe.probe,
    "intake_finalize": intake.finalize,
    "fetch_recording": intake.fetch_recording,
    claims.EXPIRY: claims.expire,
    "client_reminder": client_reminders.remind,
    "client_close": client_reminders.close_unanswered,
    "bridge": bridge.place,
    "bridge_settle": bridge.settle,
    timers.CHECK: guarantee.check_staffing,
    timers.CALL: guarantee.call_at_booked_time,
    guarantee.WRAPUP: guarantee.wrap_up,
    timers.REMINDER: appointment_reminders.remind,
    offers.KIND: offers.offer_freed_slot,
}

BRIDGE_RESULTS: Mapping[str, ResultHandler] = {
    callback.PURPOSE: callback.record_call_result,
    guarantee.PURPOSE: guarantee.record_call_result,
}
