"""The outbox's worker pools, the pool of each effect kind, and the tables of the use cases
that perform them: one literal table per pool (callq.pools), loaded the first time one of its
effects runs, so a worker imports what it runs (an email worker: no planner, no intake).
Composition roots hand them to the runtime (callq.bootstrap)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from callq.runtime import Handler

if TYPE_CHECKING:
    from callq.calls.bridge import ResultHandler

# Worker pools, each on its own RQ queue: a hung SMTP server holds up emails only, never a
# call due at its booked time. `callq serve` runs workers for each; `callq worker` takes all.
EMAIL, TELEPHONY, TIMERS = "email", "telephony", "timers"
POOLS: tuple[str, ...] = (TELEPHONY, TIMERS, EMAIL)  # a worker of every pool looks in this order

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


def _email() -> Mapping[str, Handler]:
    from callq.pools import email

    return email.EFFECTS


def _telephony() -> Mapping[str, Handler]:
    from callq.pools import telephony

    return telephony.EFFECTS


def _timers() -> Mapping[str, Handler]:
    from callq.pools import timers

    return timers.EFFECTS


_TABLES: Mapping[str, Callable[[], Mapping[str, Handler]]] = {
    EMAIL: _email, TELEPHONY: _telephony, TIMERS: _timers,
}


class Effects(Mapping[str, Handler]):
    """Effect kind -> use case, each pool's table imported when one of its kinds is asked."""

    def __init__(self) -> None:
        self._loaded: dict[str, Mapping[str, Handler]] = {}

    def _table(self, pool: str) -> Mapping[str, Handler]:
        if pool not in self._loaded:
            self._loaded[pool] = _TABLES[pool]()
        return self._loaded[pool]

    def __getitem__(self, kind: str) -> Handler:
        return self._table(pool_of(kind))[kind]

    def __contains__(self, kind: object) -> bool:
        return isinstance(kind, str) and kind in self._table(pool_of(kind))

    def __iter__(self) -> Iterator[str]:
        for pool in POOLS:
            yield from self._table(pool)

    def __len__(self) -> int:
        return sum(len(self._table(pool)) for pool in POOLS)


class BridgeResults(Mapping[str, "ResultHandler"]):
    """Bridge purpose -> what its result does (callq.pools.calls), imported when first asked."""

    def __init__(self) -> None:
        self._table: Mapping[str, ResultHandler] | None = None

    def _loaded(self) -> Mapping[str, ResultHandler]:
        if self._table is None:
            from callq.pools import calls

            self._table = calls.BRIDGE_RESULTS
        return self._table

    def __getitem__(self, purpose: str) -> ResultHandler:
        return self._loaded()[purpose]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())
