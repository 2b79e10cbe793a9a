"""Where a caller stands and when they will probably be called back (pure).

The list is worked in the live hours only (R1: mornings); afternoons are appointments (R2) and
closed days have no hours (R3), so the estimate walks the calendar's live openings from now and
spends, in each, what the agents on duty get through at the recent callback rate, kept
prudent: it never names a moment sooner than the measured pace allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from callq import formats, i18n
from callq.i18n import N_
from scheduling.calendar import BusinessCalendar, Mode

DEFAULT_RATE = 3.0  # callbacks an agent gets through in a live hour, before any history
PRUDENCE = 0.75  # of the measured pace: an estimate may come early, never late
HORIZON_DAYS = 7  # beyond a week of openings, the caller is told "in the coming days"


class Moment(StrEnum):
    """When the callback will probably come."""

    THIS_MORNING = "this_morning"
    TOMORROW_MORNING = "tomorrow_morning"
    DAY_MORNING = "day_morning"  # a named weekday's morning, within the week
    COMING_DAYS = "coming_days"


@dataclass(frozen=True)
class Standing:
    """A caller's place in the list (1 = next) and the probable moment of their callback."""

    position: int
    moment: Moment
    day: date | None  # the local day of the callback, when one is named


def team_pace(agents_on_duty: int, recent_rate: float | None) -> float:
    """Callbacks per live hour the team gets through, prudently (at least one agent)."""
    rate = recent_rate if recent_rate and recent_rate > 0 else DEFAULT_RATE
    return max(agents_on_duty, 1) * rate * PRUDENCE


def recent_rate(callbacks: int, agents: int, live_hours: float) -> float | None:
    """Callbacks per agent and live hour over a recent period (None without enough history)."""
    if callbacks <= 0 or live_hours <= 0:
        return None
    return callbacks / (max(agents, 1) * live_hours)


def live_hours(calendar: BusinessCalendar, start: datetime, end: datetime) -> float:
    """Hours of live openings (the list's working time) between two instants."""
    total = 0.0
    day, last = calendar.local(start).date(), calendar.local(end).date()
    while day <= last:
        for opening in calendar.intervals_on(day):
            if opening.mode is Mode.LIVE:
                overlap = min(opening.end, end) - max(opening.start, start)
                total += max(overlap.total_seconds(), 0.0) / 3600
        day += timedelta(days=1)
    return total


def standing(position: int, *, agents_on_duty: int, rate: float | None, now: datetime,
             calendar: BusinessCalendar) -> Standing:
    """The place and probable callback moment of the caller at `position` (1-based)."""
    hours_needed = position / team_pace(agents_on_duty, rate)
    today = calendar.local(now).date()
    for offset in range(HORIZON_DAYS + 1):
        day = today + timedelta(days=offset)
        for opening in calendar.intervals_on(day):
            if opening.mode is not Mode.LIVE or opening.end <= now:
                continue
            hours = (opening.end - max(opening.start, now)).total_seconds() / 3600
            if hours_needed <= hours:
                return Standing(position, _moment(offset), day)
            hours_needed -= hours
    return Standing(position, Moment.COMING_DAYS, None)


def _moment(offset: int) -> Moment:
    if offset == 0:
        return Moment.THIS_MORNING
    return Moment.TOMORROW_MORNING if offset == 1 else Moment.DAY_MORNING


PLACE = N_("You are %(ordinal)s in the list.")
MOMENTS = {
    Moment.THIS_MORNING: N_("We will probably call you back this morning."),
    Moment.TOMORROW_MORNING: N_("We will probably call you back tomorrow morning."),
    Moment.DAY_MORNING: N_("We will probably call you back on %(weekday)s morning."),
    Moment.COMING_DAYS: N_("We will call you back in the coming days, as soon as your turn "
                           "comes."),
}


def ordinal(n: int, lang: str) -> str:
    """A place as the language writes it: "4e" / "1re" (position), "4.", "4th"."""
    code = i18n.supported(lang)
    if code == "fr":
        return "1re" if n == 1 else f"{n}e"
    if code == "de":
        return f"{n}."
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def place_words(found: Standing, lang: str) -> str:
    """ "You are 4th in the list." in the caller's language."""
    return i18n.gettext(PLACE, lang, ordinal=ordinal(found.position, lang))


def moment_words(found: Standing, lang: str) -> str:
    """ "We will probably call you back tomorrow morning." in the caller's language."""
    weekday = formats.weekday_name(found.day, lang) if found.day else ""
    return i18n.gettext(MOMENTS[found.moment], lang, weekday=weekday)


# When the callback will probably come, in a few words (an SMS, the agents' list).
SHORT_MOMENTS = {
    Moment.THIS_MORNING: N_("this morning"),
    Moment.TOMORROW_MORNING: N_("tomorrow morning"),
    Moment.DAY_MORNING: N_("%(weekday)s morning"),
    Moment.COMING_DAYS: N_("in the coming days"),
}


def short_moment_words(found: Standing, lang: str) -> str:
    """ "tomorrow morning", "jeudi matin", "am Donnerstagvormittag"."""
    weekday = formats.weekday_name(found.day, lang) if found.day else ""
    return i18n.gettext(SHORT_MOMENTS[found.moment], lang, weekday=weekday)
