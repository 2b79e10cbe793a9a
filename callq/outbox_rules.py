"""The outbox's rules as pure functions: whether a delivered job may run now, whether an effect
whose runner died is run again, what a run's end makes of the effect, and how long to wait
before trying again. No I/O, no clock: instants are arguments."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from callq.ports import PermanentFailure, UnconfirmedDelivery
from callq.status import EffectStatus

RETRY_FACTOR = 3  # each retry waits this many times longer than the one before
RETRY_CAP = timedelta(hours=1)


class Take(StrEnum):
    """What a worker does with a job RQ delivered."""

    RUN = "run"  # due and free: take the lease and run it
    RESUME = "resume"  # its last runner died: run it again (an email keeps its Message-ID)
    EARLY = "early"  # not due yet by this clock: leave it to the reconciler until it is
    SKIP = "skip"  # done, failed, or another run holds a live lease: a duplicate delivery
    GIVE_UP = "give_up"  # its runners died on every allowed attempt


class Failure(StrEnum):
    """How a run failed, as far as the outside world is concerned."""

    TEMPORARY = "temporary"  # nothing was delivered; later may work
    PERMANENT = "permanent"  # refused for good (SMTP 5xx, Twilio 4xx)
    UNCONFIRMED = "unconfirmed"  # handed over, answer lost: maybe delivered, never resent alone


def take(status: EffectStatus, due_at: datetime, lease_until: datetime | None, *,
         sending_started: bool, attempts: int, max_attempts: int, now: datetime,
         tolerance: timedelta) -> Take:
    """Decide what a delivered job does; `tolerance` absorbs clock skew between machines."""
    if status in (EffectStatus.DONE, EffectStatus.FAILED):
        return Take.SKIP
    if status == EffectStatus.RUNNING and lease_until is not None and lease_until >= now:
        return Take.SKIP
    if due_at > now + tolerance:
        return Take.EARLY
    if status == EffectStatus.RUNNING:
        return after_crash(sending_started=sending_started, attempts=attempts,
                           max_attempts=max_attempts)
    return Take.RUN


def after_crash(*, sending_started: bool, attempts: int, max_attempts: int) -> Take:
    """An effect whose runner died (its lease ran out): should it run again?

    Yes, until its attempts are spent: whatever the dead run did, it recorded nothing, and the
    lease (longer than any send's deadline) says it is dead. When it had begun sending, the
    provider may have accepted just before the death: the one duplicate callq allows, and the
    resend carries the same key (an email's Message-ID) so that clients collapse it.
    """
    if attempts >= max_attempts:
        return Take.GIVE_UP
    return Take.RESUME if sending_started else Take.RUN


def classify(error: BaseException) -> Failure:
    """The kind of failure an exception of a use case or adapter means."""
    if isinstance(error, PermanentFailure):
        return Failure.PERMANENT
    if isinstance(error, UnconfirmedDelivery):
        return Failure.UNCONFIRMED
    return Failure.TEMPORARY


def after_run(failure: Failure | None, *, attempts: int, max_attempts: int) -> EffectStatus:
    """The effect's status once a run ended (without a failure: done)."""
    if failure is None:
        return EffectStatus.DONE
    if failure is not Failure.TEMPORARY or attempts >= max_attempts:
        return EffectStatus.FAILED
    return EffectStatus.PENDING


def backoff(attempts: int, first: timedelta) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: first, 3x, 9x... at most 1 h."""
    delay: timedelta = first * RETRY_FACTOR ** max(attempts - 1, 0)
    return min(delay, RETRY_CAP)


def describe(failure: Failure, error: BaseException) -> str:
    """The error an administrator reads, saying what it means for a retry."""
    text = f"{type(error).__name__}: {error}"
    if failure is Failure.UNCONFIRMED:
        return ("unconfirmed, not resent: it may have been delivered; retry it only if the "
                f"recipient did not get it ({text})")
    if failure is Failure.PERMANENT:
        return f"refused for good: {text}"
    return text
