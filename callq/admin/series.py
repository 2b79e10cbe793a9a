"""The product series policy (R9): which series are supported, on quote or out of support,
kept in the database; CALLQ_CURRENT_SERIES gives the default."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete

from callq import audit, db
from callq.admin import state
from callq.i18n import N_, Problem
from callq.models import StoredValue
from callq.waiting.versions import SeriesPolicy, parse_series

if TYPE_CHECKING:
    from callq.runtime import Runtime


def current_series(runtime: Runtime) -> tuple[SeriesPolicy, bool]:
    """The policy in force, and whether the administrator saved it."""
    with db.read(runtime.sessions) as session:
        stored = state.read_value(session, state.SERIES)
    return state.series_of(stored, runtime.settings), stored is not None


def policy_from(supported: str, on_quote: str) -> SeriesPolicy:
    """A policy from "2026, 2025"-style texts; ValueError names the field."""
    try:
        wanted = parse_series(supported)
    except Problem as problem:
        raise Problem(N_("supported: %(problem)s"), problem=problem) from None
    try:
        quoted = parse_series(on_quote)
    except Problem as problem:
        raise Problem(N_("on_quote: %(problem)s"), problem=problem) from None
    return SeriesPolicy(wanted, quoted)


def save_series(runtime: Runtime, policy: SeriesPolicy, *, actor: str) -> None:
    """Keep this policy."""
    before, _ = current_series(runtime)
    value = {"supported": sorted(policy.supported), "on_quote": sorted(policy.on_quote)}
    with db.write(runtime.sessions) as session:
        state.write_value(session, state.SERIES, value, runtime.now())
        audit.record(session, at=runtime.now(), actor=actor, action="series.save", target="R9",
                     before={"supported": sorted(before.supported),
                             "on_quote": sorted(before.on_quote)}, after=value)
    runtime.forget_calendar()


def reset_series(runtime: Runtime, *, actor: str) -> SeriesPolicy:
    """Back to CALLQ_CURRENT_SERIES's policy."""
    with db.write(runtime.sessions) as session:
        session.execute(delete(StoredValue).where(StoredValue.key == state.SERIES))
        audit.record(session, at=runtime.now(), actor=actor, action="series.reset", target="R9")
    runtime.forget_calendar()
    return SeriesPolicy.current(runtime.settings.current_series)
