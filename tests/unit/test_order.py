"""R5-R8: the waiting-room order, repeated messages, and why an entry sits where it does."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callq.status import TIER_ORDER, Tier
from callq.waiting.order import (
    Placed,
    order,
    place_reason,
    requeue_time,
    sort_key,
    tier_after_repeat,
)

T0 = datetime(2026, 3, 12, 8, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def ids(entries: list[Placed]) -> list[int]:
    return [p.id for p in entries]


def test_r05_same_tier_is_served_in_arrival_order() -> None:
    entries = [Placed(3, Tier.LOW, False, at(30)), Placed(1, Tier.LOW, False, at(0)),
               Placed(2, Tier.LOW, False, at(10))]
    assert ids(order(entries)) == [1, 2, 3]


def test_r05_same_arrival_instant_is_broken_by_id_so_the_order_is_total() -> None:
    entries = [Placed(9, Tier.HIGH, False, at(0)), Placed(4, Tier.HIGH, False, at(0))]
    assert ids(order(entries)) == [4, 9]


def test_r06_more_urgent_tier_goes_before_earlier_arrivals() -> None:
    entries = [Placed(1, Tier.LOW, False, at(0)), Placed(2, Tier.MEDIUM, False, at(5)),
               Placed(3, Tier.CRITICAL, False, at(50)), Placed(4, Tier.HIGH, False, at(20))]
    assert ids(order(entries)) == [3, 4, 2, 1]


def test_r07_vague_message_goes_after_every_stated_need_whatever_its_age() -> None:
    entries = [Placed(1, Tier.LOW, True, at(-600)), Placed(2, Tier.LOW, False, at(0)),
               Placed(3, Tier.HIGH, True, at(-900))]
    assert ids(order(entries)) == [2, 3, 1]


def test_r07_sort_key_puts_vagueness_before_tier_and_time() -> None:
    key = sort_key(Placed(7, Tier.CRITICAL, True, at(0)))
    assert key == (1, Tier.CRITICAL.rank, at(0), 7)
    assert key > sort_key(Placed(8, Tier.LOW, False, at(999)))


def test_r05_naive_arrival_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Placed(1, Tier.LOW, False, datetime(2026, 3, 12, 9, 0))


@pytest.mark.parametrize(
    ("current", "message", "moves_back", "expected"),
    [
        (at(0), at(90), True, at(90)),  # the seed's default: a repeat pushes the callback back
        (at(0), at(90), False, at(0)),
        (at(90), at(0), True, at(90)),  # a late-delivered older message never moves it up
        (at(90), at(0), False, at(90)),
    ],
)
def test_r08_repeat_never_moves_entry_up(
    current: datetime, message: datetime, moves_back: bool, expected: datetime
) -> None:
    assert requeue_time(current, message, repeat_moves_back=moves_back) == expected


@pytest.mark.parametrize("current", list(Tier))
@pytest.mark.parametrize("new", list(Tier))
def test_r08_repeated_message_never_changes_the_tier(current: Tier, new: Tier) -> None:
    assert tier_after_repeat(current, new) is current


# French: no-break spaces before the colon, inside « » and inside "9 h 14"; German: Swiss quotes.
@pytest.mark.parametrize(
    ("placed", "kwargs", "fr", "en", "de"),
    [
        (Placed(1, Tier.HIGH, False, datetime(2026, 3, 12, 8, 14, tzinfo=UTC)),
         {"matched": ("ne fonctionne plus",)},
         "Urgence haute («\u00a0ne fonctionne plus\u00a0»), arrivé le 12/3 à 9\u00a0h\u00a014",
         "High urgency (\u201cne fonctionne plus\u201d), arrived on 12 Mar at 09:14",
         "Hohe Dringlichkeit («ne fonctionne plus»), eingegangen am 12.3. um 09:14"),
        (Placed(2, Tier.LOW, True, datetime(2026, 7, 1, 7, 5, tzinfo=UTC)), {},
         "Sans besoin exprimé\u00a0: placé après les demandes, arrivé le 1/7 à 9\u00a0h\u00a005",
         "No stated need: placed after stated needs, arrived on 1 Jul at 09:05",
         "Kein Anliegen genannt: nach den Anfragen eingereiht, eingegangen am 1.7. um 09:05"),
        (Placed(3, Tier.CRITICAL, False, datetime(2026, 3, 12, 13, 40, tzinfo=UTC)),
         {"tier_set_by_agent": True, "matched": ("lent",)},
         "Urgence critique, fixée par un agent, arrivé le 12/3 à 14\u00a0h\u00a040",
         "Critical urgency, set by an agent, arrived on 12 Mar at 14:40",
         "Kritische Dringlichkeit, von einem Berater festgelegt, eingegangen am 12.3. um 14:40"),
        (Placed(4, Tier.MEDIUM, False, datetime(2026, 3, 12, 10, 0, tzinfo=UTC)),
         {"repeats": 2},
         "Urgence moyenne, message répété 2 fois\u00a0: replacé à la date du dernier message, "
         "le 12/3 à 11\u00a0h\u00a000",
         "Medium urgency, message repeated 2 times: moved back to the last message, "
         "on 12 Mar at 11:00",
         "Mittlere Dringlichkeit, Nachricht 2-mal wiederholt: auf die letzte Nachricht "
         "zurückgesetzt, am 12.3. um 11:00"),
        (Placed(5, Tier.LOW, False, datetime(2026, 3, 12, 10, 0, tzinfo=UTC)),
         {"repeats": 1, "repeat_moved_back": False},
         "Urgence basse, message répété une fois, arrivé le 12/3 à 11\u00a0h\u00a000",
         "Low urgency, message repeated once, arrived on 12 Mar at 11:00",
         "Geringe Dringlichkeit, Nachricht einmal wiederholt, eingegangen am 12.3. um 11:00"),
    ],
)
def test_r05_r08_place_reason_says_why_in_local_time(
    placed: Placed, kwargs: dict, fr: str, en: str, de: str
) -> None:
    assert place_reason(placed, tz=PARIS, **kwargs) == fr
    assert place_reason(placed, tz=PARIS, lang="en", **kwargs) == en
    assert place_reason(placed, tz=PARIS, lang="de", **kwargs) == de


def test_r05_place_reason_shows_utc_unless_told_otherwise() -> None:
    placed = Placed(1, Tier.LOW, False, datetime(2026, 3, 12, 8, 14, tzinfo=UTC))
    assert place_reason(placed).endswith("le 12/3 à 8\u00a0h\u00a014")


# -- properties ---------------------------------------------------------------------------------

_instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)
_entries = st.lists(
    st.tuples(st.sampled_from(TIER_ORDER), st.booleans(), _instants), max_size=40
).map(lambda rows: [Placed(i, tier, vague, when) for i, (tier, vague, when) in enumerate(rows)])


@given(_entries)
def test_r07_every_vague_entry_comes_after_every_stated_need(entries: list[Placed]) -> None:
    flags = [p.vague for p in order(entries)]
    assert flags == sorted(flags)


@given(_entries)
def test_r06_within_stated_needs_tiers_never_go_back_up(entries: list[Placed]) -> None:
    for vague in (False, True):
        ranks = [p.tier.rank for p in order(entries) if p.vague is vague]
        assert ranks == sorted(ranks)


@given(_entries)
def test_r05_within_same_vagueness_and_tier_arrival_order_holds(entries: list[Placed]) -> None:
    ordered = order(entries)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if (earlier.vague, earlier.tier) == (later.vague, later.tier):
            assert (earlier.queued_at, earlier.id) < (later.queued_at, later.id)


@given(_entries, st.randoms(use_true_random=False))
def test_r05_order_loses_nothing_and_ignores_input_order(
    entries: list[Placed], rnd: random.Random
) -> None:
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    assert order(shuffled) == order(entries)
    assert sorted(ids(order(entries))) == ids(entries)


@given(_instants, _instants, st.booleans())
def test_r08_requeue_time_never_returns_an_earlier_time(
    current: datetime, message: datetime, moves_back: bool
) -> None:
    new = requeue_time(current, message, repeat_moves_back=moves_back)
    assert new >= current
    assert new in (current, message)
    if moves_back:
        assert new >= message
