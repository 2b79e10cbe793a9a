"""The waiting-room order (R5-R8): stated needs before vague ones, then tier, then arrival.

The database mirrors sort_key with `ORDER BY vague, tier_rank, queued_at, id`; keep both in step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from callq import formats
from callq.i18n import gettext, ngettext
from callq.status import Tier
from callq.waiting.labels import tier_label


@dataclass(frozen=True)
class Placed:
    """What the order needs to know of a waiting-room entry."""

    id: int
    tier: Tier
    vague: bool
    queued_at: datetime  # arrival, moved back by repeated messages (R8); tz-aware

    def __post_init__(self) -> None:
        # Naive and aware datetimes do not compare: refuse the naive one where it is made.
        if self.queued_at.utcoffset() is None:
            raise ValueError(f"entry {self.id}: queued_at must be timezone-aware")


def sort_key(p: Placed) -> tuple[int, int, datetime, int]:
    """Vague last whatever its age (R7), then tier (R6), then arrival (R5), then id for ties."""
    return (1 if p.vague else 0, p.tier.rank, p.queued_at, p.id)


def order(entries: Iterable[Placed]) -> list[Placed]:
    """The waiting room from the top: the entry an agent should take first comes first."""
    return sorted(entries, key=sort_key)


def requeue_time(
    current_queued_at: datetime, message_at: datetime, *, repeat_moves_back: bool
) -> datetime:
    """Where a repeated message puts its entry (R8): later or unchanged, never earlier."""
    if repeat_moves_back:
        return max(current_queued_at, message_at)
    return current_queued_at


def tier_after_repeat(current: Tier, new: Tier) -> Tier:
    """The tier after a repeated message (R8): the current one, so insisting never moves up."""
    # The repeat's own tier is ignored on purpose: a more dramatic second message must not pay,
    # and a calmer one does not undo an agent's or the first message's judgement.
    return current


def place_reason(
    p: Placed,
    *,
    matched: Sequence[str] = (),
    tier_set_by_agent: bool = False,
    repeats: int = 0,
    repeat_moved_back: bool = True,
    lang: str = "fr",
    tz: tzinfo = UTC,
) -> str:
    """Why the entry sits where it does, in `lang`, with its time shown in tz."""
    local = p.queued_at.astimezone(tz)
    day, time = formats.short_day(local.date(), lang), formats.time(local, tz, lang)
    if repeats > 0 and repeat_moved_back:
        arrival = ngettext("message repeated once: moved back to the last message, on %(day)s "
                           "at %(time)s", "message repeated %(num)s times: moved back to the last "
                           "message, on %(day)s at %(time)s", repeats, lang, day=day, time=time)
    elif repeats > 0:
        arrival = ngettext("message repeated once, arrived on %(day)s at %(time)s",
                           "message repeated %(num)s times, arrived on %(day)s at %(time)s",
                           repeats, lang, day=day, time=time)
    else:
        arrival = gettext("arrived on %(day)s at %(time)s", lang, day=day, time=time)
    return gettext("%(standing)s, %(arrival)s", lang,
                   standing=_standing(p, matched, tier_set_by_agent, lang), arrival=arrival)


def _standing(p: Placed, matched: Sequence[str], by_agent: bool, lang: str) -> str:
    if p.vague:
        return gettext("No stated need: placed after stated needs", lang)
    label = tier_label(p.tier, lang)
    if by_agent:
        return gettext("%(tier)s, set by an agent", lang, tier=label)
    if matched:
        quoted = ", ".join(gettext("\u201c%(phrase)s\u201d", lang, phrase=m) for m in matched)
        return gettext("%(tier)s (%(phrases)s)", lang, tier=label, phrases=quoted)
    return label
