"""The clients' pure rules (issue 13): the day picker, add-to-calendar links, the minimum notice
to change, the caller's estimate."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from callq.waiting import estimate
from callq.waiting.estimate import Moment
from scheduling import calendar_links, client_rules, picker
from scheduling.calendar import load_calendar

PARIS = ZoneInfo("Europe/Paris")
MONDAY_14H = datetime(2026, 3, 30, 12, 0, tzinfo=UTC)
SLOT = timedelta(minutes=30)


def _times(*starts):
    return [(start, start + SLOT) for start in starts]


def test_the_strip_shows_weekdays_between_free_days_and_marks_the_full_ones():
    friday = MONDAY_14H - timedelta(days=3)
    built = picker.build(_times(friday, MONDAY_14H + timedelta(days=1)), PARIS, "fr")
    assert [d.iso for d in built.days] == ["2026-03-27", "2026-03-30", "2026-03-31"]
    assert [len(d.times) for d in built.days] == [1, 0, 1]  # Monday: full (weekend left out)
    assert built.days[0].weekday == "ven." and built.days[0].short == "27/3"
    assert built.chosen == 0 and [d.index for d in built.free_days] == [0, 2]


def test_the_chosen_time_opens_its_day_and_english_writes_english():
    tuesday = MONDAY_14H + timedelta(days=1)
    built = picker.build(_times(MONDAY_14H, tuesday), PARIS, "en",
                         chosen="20260331T1200Z")
    assert built.chosen == 1
    assert built.days[1].label == "Tuesday 31 March 2026" and built.days[1].times[0][1] == "14:00"


def test_no_free_time_gives_an_empty_picker():
    assert picker.build([], PARIS, "fr") == picker.Picker((), 0)


def test_add_to_calendar_links_carry_the_times_in_utc_and_the_title():
    found = calendar_links.links("Hotline – rappel", MONDAY_14H, MONDAY_14H + SLOT, "Imprimante")
    google = parse_qs(urlsplit(found.google).query)
    assert google["dates"] == ["20260330T120000Z/20260330T123000Z"]
    assert google["text"] == ["Hotline – rappel"] and google["details"] == ["Imprimante"]
    outlook = parse_qs(urlsplit(found.outlook).query)
    assert (outlook["startdt"], outlook["enddt"]) == (["2026-03-30T12:00:00Z"],
                                                      ["2026-03-30T12:30:00Z"])


def test_inside_the_minimum_notice_an_appointment_is_not_changed_online():
    assert client_rules.too_late_to_change(MONDAY_14H, MONDAY_14H - timedelta(minutes=119), 120)
    assert not client_rules.too_late_to_change(MONDAY_14H, MONDAY_14H - timedelta(hours=2), 120)
    assert client_rules.notice_hours(90) == 2 and client_rules.notice_hours(0) == 1


def test_the_estimate_walks_live_mornings_only_and_stays_prudent():
    paris = load_calendar("paris")
    monday_10h = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    first = estimate.standing(1, agents_on_duty=1, rate=None, now=monday_10h, calendar=paris)
    assert (first.moment, first.day) == (Moment.THIS_MORNING, date(2026, 3, 30))
    # 11:50: ten minutes left cannot hold a callback at 2.25 an hour: tomorrow.
    late = estimate.standing(1, agents_on_duty=1, rate=None, now=monday_10h + timedelta(
        hours=1, minutes=50), calendar=paris)
    assert late.moment is Moment.TOMORROW_MORNING
    far = estimate.standing(500, agents_on_duty=1, rate=None, now=monday_10h, calendar=paris)
    assert far.moment is Moment.COMING_DAYS and far.day is None


def test_the_recent_rate_needs_history_and_hours():
    assert estimate.recent_rate(0, 2, 15.0) is None
    assert estimate.recent_rate(30, 2, 15.0) == 1.0
    assert estimate.team_pace(0, None) == estimate.DEFAULT_RATE * estimate.PRUDENCE


def test_ordinals_are_written_each_language_s_way():
    assert [estimate.ordinal(n, "fr") for n in (1, 2, 21)] == ["1re", "2e", "21e"]
    assert [estimate.ordinal(n, "en") for n in (1, 2, 3, 11, 12, 22)] == [
        "1st", "2nd", "3rd", "11th", "12th", "22nd"]
    assert estimate.ordinal(4, "de") == "4."
