"""The literal tables of the use cases the outbox runs: one per effect kind, the worker pool of
each kind, and one per purpose of a bridged call. Composition roots hand them to the runtime
(callq.bootstrap)."""

from __future__ import annotations

from collections.abc import Mapping

from callq import intake, notify, probe
from callq.calls import bridge
from callq.calls.bridge import ResultHandler
from callq.effects import outside
from callq.runtime import Handler
from callq.workspace import callback, claims
from callq.workspace import reminders as client_reminders
from scheduling import guarantee, offers, timers
from scheduling import reminders as appointment_reminders

# Worker pools, each on its own RQ queue: a hung SMTP server holds up emails only, never a
# call due at its booked time. `callq serve` runs workers for each; `callq worker` takes all.
EMAIL, TELEPHONY, TIMERS = "email", "telephony", "timers"
POOLS: tuple[str, ...] = (TELEPHONY, TIMERS, EMAIL)  # a worker of every pool looks in this order

# `outside(...)`: the use case calls a provider; its run is marked as sending first.
EFFECTS: Mapping[str, Handler] = {
    "email": outside(notify.send_email),
    "sms": outside(notify.send_sms),
    "probe": probe.probe,
    "probe_email": probe.probe,
    "probe_telephony": probe.probe,
    "intake_finalize": intake.finalize,
    "fetch_recording": intake.fetch_recording,
    claims.EXPIRY: claims.expire,
    "client_reminder": client_reminders.remind,
    "client_close": client_reminders.close_unanswered,
    "bridge": outside(bridge.place),
    "bridge_settle": bridge.settle,
    timers.CHECK: guarantee.check_staffing,
    timers.CALL: guarantee.call_at_booked_time,
    guarantee.WRAPUP: guarantee.wrap_up,
    timers.REMINDER: appointment_reminders.remind,
    offers.KIND: offers.offer_freed_slot,
}

# The pool of each kind that calls a provider; every other kind is a timer (database only).
PROVIDER_POOLS: Mapping[str, str] = {
    "email": EMAIL,
    "probe_email": EMAIL,
    "sms": TELEPHONY,
    "bridge": TELEPHONY,
    "fetch_recording": TELEPHONY,
    "probe_telephony": TELEPHONY,
}

# `callq probe` sends one of these per pool.
PROBES: Mapping[str, str] = {TIMERS: "probe", EMAIL: "probe_email", TELEPHONY: "probe_telephony"}


def pool_of(kind: str) -> str:
    """The worker pool that runs effects of this kind."""
    return PROVIDER_POOLS.get(kind, TIMERS)


BRIDGE_RESULTS: Mapping[str, ResultHandler] = {
    callback.PURPOSE: callback.record_call_result,
    guarantee.PURPOSE: guarantee.record_call_result,
}
