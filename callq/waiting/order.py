"""The waiting-room order (R5-R8): stated needs before vague ones, then tier, then arrival.

The database mirrors sort_key with `ORDER BY vague, tier_rank, queued_at, id`; keep both in step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from callq.status import Tier
from callq.waiting.classify import tier_label


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
    """Why the entry sits where it does, in French or English, with its time shown in tz."""
    texts = _TEXTS["en" if lang.lower().startswith("en") else "fr"]
    when = _when(p.queued_at.astimezone(tz), texts)
    if repeats > 0:
        key = "moved_back" if repeat_moved_back else "repeat"
        times = texts["once"] if repeats == 1 else texts["times"].format(repeats)
        arrival = texts[key].format(times=times, when=when)
    else:
        arrival = texts["arrived"].format(when=when)
    return f"{_standing(p, matched, tier_set_by_agent, texts)}, {arrival}"


def _standing(p: Placed, matched: Sequence[str], by_agent: bool, texts: dict[str, str]) -> str:
    if p.vague:
        return texts["vague"]
    label = tier_label(p.tier, texts["lang"])
    if by_agent:
        return texts["by_agent"].format(label=label)
    if matched:
        return f"{label} ({', '.join(texts['quote'].format(m) for m in matched)})"
    return label


def _when(local: datetime, texts: dict[str, str]) -> str:
    if texts["lang"] == "en":
        day = f"{local.day} {_EN_MONTHS[local.month - 1]}"
    else:
        day = f"{local:%d/%m}"
    return texts["when"].format(day=day, time=f"{local:%H:%M}")


_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "lang": "fr",
        "vague": "Sans besoin exprimé : placé après les demandes",
        "by_agent": "{label}, fixée par un agent",
        "quote": "« {} »",
        "when": "le {day} à {time}",
        "arrived": "arrivé {when}",
        "once": "1 fois",
        "times": "{} fois",
        "repeat": "message répété {times}, arrivé {when}",
        "moved_back": "message répété {times} : replacé à la date du dernier message, {when}",
    },
    "en": {
        "lang": "en",
        "vague": "No stated need: placed after stated needs",
        "by_agent": "{label}, set by an agent",
        "quote": '"{}"',
        "when": "on {day} at {time}",
        "arrived": "arrived {when}",
        "once": "once",
        "times": "{} times",
        "repeat": "message repeated {times}, arrived {when}",
        "moved_back": "message repeated {times}: moved back to the last message, {when}",
    },
}
