"""The business calendar: modes, holidays, eves, closures, DST and business time (R1-R4, R11)."""

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.calendar import (
    BERN,
    PARIS,
    BusinessCalendar,
    CalendarSpec,
    Mode,
    OpenInterval,
    Span,
    load_calendar,
    spec_from_dict,
    spec_to_dict,
)

paris = BusinessCalendar(PARIS)
bern = BusinessCalendar(BERN)
LIVE, APPOINTMENTS, CLOSED = Mode.LIVE, Mode.APPOINTMENTS, Mode.CLOSED


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A UTC instant."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def hours(calendar: BusinessCalendar, day: date) -> list[tuple[datetime, datetime, Mode]]:
    return [(i.start, i.end, i.mode) for i in calendar.intervals_on(day)]


# Winter: Paris and Bern are UTC+1, so 09:00 local is 08:00Z. 2026-02-10 is a Tuesday.
@pytest.mark.parametrize(
    ("instant", "mode"),
    [
        (at(2026, 2, 10, 7, 59), CLOSED),  # 08:59, before opening
        (at(2026, 2, 10, 8, 0), LIVE),  # 09:00
        (at(2026, 2, 10, 10, 59), LIVE),  # 11:59
        (at(2026, 2, 10, 11, 0), CLOSED),  # 12:00, lunch
        (at(2026, 2, 10, 12, 30), CLOSED),  # 13:30, lunch
        (at(2026, 2, 10, 13, 0), APPOINTMENTS),  # 14:00
        (at(2026, 2, 10, 16, 59), APPOINTMENTS),  # 17:59
        (at(2026, 2, 10, 17, 0), CLOSED),  # 18:00, evening
        (at(2026, 2, 14, 9, 0), CLOSED),  # Saturday
        (at(2026, 2, 15, 13, 0), CLOSED),  # Sunday
    ],
)
def test_r01_r02_r03_paris_morning_live_afternoon_appointments_else_closed(instant, mode):
    assert paris.mode_at(instant) is mode


@pytest.mark.parametrize(
    ("instant", "mode"),
    [
        (at(2026, 2, 10, 6, 59), CLOSED),  # 07:59
        (at(2026, 2, 10, 7, 0), LIVE),  # 08:00
        (at(2026, 2, 10, 11, 15), CLOSED),  # 12:15, lunch
        (at(2026, 2, 10, 12, 30), APPOINTMENTS),  # 13:30
        (at(2026, 2, 10, 16, 30), APPOINTMENTS),  # 17:30 on a Tuesday
        (at(2026, 2, 10, 17, 0), CLOSED),  # 18:00
        (at(2026, 2, 13, 15, 59), APPOINTMENTS),  # Friday 16:59
        (at(2026, 2, 13, 16, 0), CLOSED),  # Friday 17:00: Bern closes early on Fridays
        (at(2026, 2, 14, 9, 0), CLOSED),  # Saturday
    ],
)
def test_r01_r02_r04_bern_hours_with_the_early_friday(instant, mode):
    assert bern.mode_at(instant) is mode


@pytest.mark.parametrize(
    ("calendar", "day"),
    [
        (paris, date(2026, 1, 1)),
        (paris, date(2026, 4, 6)),  # Easter Monday
        (paris, date(2026, 5, 1)),
        (paris, date(2026, 5, 8)),
        (paris, date(2026, 5, 14)),  # Ascension
        (paris, date(2026, 5, 25)),  # Whit Monday, a public holiday in the package's FR calendar
        (paris, date(2026, 7, 14)),
        (paris, date(2026, 11, 11)),
        (bern, date(2026, 1, 2)),  # Berchtoldstag
        (bern, date(2026, 4, 3)),  # Good Friday
        (bern, date(2026, 4, 6)),
        (bern, date(2026, 5, 14)),
        (bern, date(2026, 5, 25)),
        (bern, date(2026, 12, 25)),
    ],
)
def test_r03_r04_public_holidays_are_closed_all_day(calendar, day):
    assert calendar.holiday_name(day)
    assert not calendar.is_working_day(day)
    assert calendar.intervals_on(day) == ()
    noon = datetime.combine(day, time(10), tzinfo=calendar.tz)
    assert calendar.mode_at(noon) is CLOSED


@pytest.mark.parametrize(
    ("calendar", "day"),
    [(paris, date(2026, 4, 3)), (paris, date(2026, 1, 2)), (bern, date(2026, 7, 14))],
)
def test_r04_holidays_follow_the_calendar_country_and_subdivision(calendar, day):
    assert calendar.holiday_name(day) is None
    assert calendar.is_working_day(day)


def test_r04_holiday_names_are_in_french():
    assert paris.holiday_name(date(2026, 7, 14)) == "Fête nationale"
    assert paris.holiday_name(date(2026, 7, 15)) is None


def test_r04_bern_closes_at_16_on_the_eve_of_a_holiday():
    eve = date(2026, 5, 13)  # the day before Ascension; summer time, UTC+2
    assert hours(bern, eve) == [
        (at(2026, 5, 13, 6, 0), at(2026, 5, 13, 10, 0), LIVE),
        (at(2026, 5, 13, 11, 30), at(2026, 5, 13, 14, 0), APPOINTMENTS),
    ]
    assert bern.mode_at(at(2026, 5, 13, 13, 59)) is APPOINTMENTS
    assert bern.mode_at(at(2026, 5, 13, 14, 0)) is CLOSED


@pytest.mark.parametrize(
    ("day", "closes_local"),
    [
        (date(2026, 4, 2), time(16)),  # Thursday before Good Friday
        (date(2026, 5, 22), time(17)),  # the Friday before Whit Monday: Sunday is before it
        (date(2026, 7, 31), time(16)),  # Friday before 1 August, a Saturday
        (date(2026, 12, 24), time(16)),
        (date(2026, 5, 11), time(18)),  # an ordinary Monday
        (date(2026, 5, 15), time(17)),  # the Friday after Ascension is not an eve
    ],
)
def test_r04_bern_eve_is_the_calendar_day_before_a_holiday_when_working(day, closes_local):
    last_close = bern.intervals_on(day)[-1].end
    assert bern.local(last_close).time() == closes_local


@pytest.mark.parametrize(
    ("day", "closes_local"),
    [
        (date(2026, 5, 22), time(16)),  # Friday: the last working day before Whit Monday
        (date(2026, 4, 2), time(16)),  # Thursday before Good Friday, as by default
        (date(2026, 5, 15), time(17)),  # the Friday after Ascension is not an eve either way
    ],
)
def test_r04_the_other_eve_reading_skips_closed_days_when_set(day, closes_local):
    skipping = BusinessCalendar(replace(BERN, eve_skips_closed_days=True))
    assert skipping.local(skipping.intervals_on(day)[-1].end).time() == closes_local


def test_r04_a_closure_is_named_by_its_label_to_callers():
    calendar = BusinessCalendar(PARIS, closures={date(2026, 6, 10): "inventaire annuel"})
    assert calendar.holiday_name(date(2026, 6, 10)) == "inventaire annuel"
    assert not calendar.is_working_day(date(2026, 6, 10))


@pytest.mark.parametrize(("start", "minutes", "held"), [
    (at(2026, 6, 9, 12), 30, True),  # Tuesday 14:00 Paris, an afternoon slot
    (at(2026, 6, 9, 15, 30), 30, True),  # the last slot, ending at 18:00
    (at(2026, 6, 9, 15, 45), 30, False),  # runs past the afternoon's end
    (at(2026, 6, 9, 8), 30, False),  # 10:00, the live morning
    (at(2026, 6, 10, 12), 30, False),  # the closure day
    (at(2026, 7, 14, 12), 30, False),  # a public holiday
    (at(2026, 6, 13, 12), 30, False),  # a Saturday
])
def test_r12_r14_an_appointment_is_held_only_within_an_afternoon_opening(start, minutes, held):
    calendar = BusinessCalendar(PARIS, closures={date(2026, 6, 10): "inventaire annuel"})
    assert calendar.takes_appointments(start, start + timedelta(minutes=minutes)) is held


def test_r04_a_spec_survives_its_json_shape():
    assert spec_from_dict(spec_to_dict(BERN)) == BERN
    assert spec_to_dict(replace(BERN, eve_skips_closed_days=True))["eve_skips_closed_days"]


def test_r04_paris_has_no_eve_rule():
    assert paris.local(paris.intervals_on(date(2026, 5, 13))[-1].end).time() == time(18)


def test_r04_an_administrator_closure_closes_the_day_but_makes_no_eve():
    calendar = BusinessCalendar(BERN, closures=[date(2026, 6, 10)])
    assert calendar.holiday_name(date(2026, 6, 10)) == "Fermeture"
    assert not calendar.is_working_day(date(2026, 6, 10))
    assert calendar.mode_at(at(2026, 6, 10, 8)) is CLOSED
    assert calendar.local(calendar.intervals_on(date(2026, 6, 9))[-1].end).time() == time(18)
    assert bern.is_working_day(date(2026, 6, 10))  # closures belong to one calendar only


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 2, 13, 17, 30), at(2026, 2, 16, 8, 0)),  # Friday 18:30 -> Monday 09:00, winter
        (at(2026, 6, 12, 16, 30), at(2026, 6, 15, 7, 0)),  # Friday 18:30 -> Monday 09:00, summer
        (at(2026, 5, 13, 17, 0), at(2026, 5, 15, 7, 0)),  # Wednesday evening, Ascension skipped
        (at(2026, 7, 13, 17, 0), at(2026, 7, 15, 7, 0)),  # Monday evening, 14 July skipped
        (at(2026, 2, 10, 11, 30), at(2026, 2, 10, 13, 0)),  # lunch -> the afternoon
        (at(2026, 2, 10, 8, 0), at(2026, 2, 10, 13, 0)),  # at an opening: the next one
    ],
)
def test_r03_paris_next_opening_skips_nights_weekends_and_holidays(now, expected):
    opening = paris.next_opening(now)
    assert opening is not None
    assert opening.start == expected


def test_r03_bern_next_opening_skips_the_easter_weekend():
    opening = bern.next_opening(at(2026, 4, 2, 15, 0))  # Thursday 17:00, after the eve's close
    assert opening == OpenInterval(at(2026, 4, 7, 6, 0), at(2026, 4, 7, 10, 0), LIVE)


def test_r02_next_opening_of_a_mode_skips_the_other_mode():
    afternoon = paris.next_opening(at(2026, 2, 10, 7, 0), APPOINTMENTS)  # 08:00, before LIVE
    morning = paris.next_opening(at(2026, 2, 10, 11, 30), LIVE)  # lunch, before APPOINTMENTS
    assert afternoon is not None and afternoon.start == at(2026, 2, 10, 13, 0)
    assert morning is not None and morning.start == at(2026, 2, 11, 8, 0)


def test_r03_next_opening_is_none_for_a_calendar_that_never_opens():
    never = BusinessCalendar(CalendarSpec("never", "Europe/Paris", {}, "FR"))
    assert never.next_opening(at(2026, 2, 10)) is None
    with pytest.raises(ValueError, match="no opening"):
        never.add_business_days(at(2026, 2, 10), 1)


@pytest.mark.parametrize(
    ("calendar", "day", "utc_hours"),
    [
        # spring forward on Sunday 2026-03-29: Friday is UTC+1, Monday UTC+2
        (paris, date(2026, 3, 27), [(8, 11), (13, 17)]),
        (paris, date(2026, 3, 30), [(7, 10), (12, 16)]),
        (bern, date(2026, 3, 27), [(7, 11), (12.5, 16)]),
        (bern, date(2026, 3, 30), [(6, 10), (11.5, 16)]),
        # fall back on Sunday 2026-10-25: Friday is UTC+2, Monday UTC+1
        (paris, date(2026, 10, 23), [(7, 10), (12, 16)]),
        (paris, date(2026, 10, 26), [(8, 11), (13, 17)]),
        (bern, date(2026, 10, 23), [(6, 10), (11.5, 15)]),
        (bern, date(2026, 10, 26), [(7, 11), (12.5, 17)]),
    ],
    ids=lambda value: str(value) if isinstance(value, date) else None,
)
def test_r04_hours_shift_by_one_hour_in_utc_across_both_dst_changes(calendar, day, utc_hours):
    def hour(value: float) -> datetime:
        return datetime.combine(day, time(0), tzinfo=UTC) + timedelta(hours=value)

    expected = [(hour(start), hour(end)) for start, end in utc_hours]
    assert [(i.start, i.end) for i in calendar.intervals_on(day)] == expected


def test_r04_mode_at_follows_local_time_on_the_monday_after_spring_forward():
    assert paris.mode_at(at(2026, 3, 30, 7, 30)) is LIVE  # 09:30 CEST
    assert paris.mode_at(at(2026, 3, 27, 7, 30)) is CLOSED  # 08:30 CET, the Friday before
    assert paris.mode_at(at(2026, 10, 26, 7, 30)) is CLOSED  # 08:30 CET after fall back
    assert bern.mode_at(at(2026, 10, 26, 7, 30)) is LIVE  # 08:30 CET
    assert paris.intervals_on(date(2026, 3, 29)) == ()


@pytest.fixture
def night_calendar(tmp_path):
    """A JSON calendar open on Sunday nights, to meet the DST changes head on."""
    path = tmp_path / "night.json"
    sunday = [
        {"start": "01:00", "end": "01:30", "mode": "live"},
        {"start": "02:00", "end": "02:45", "mode": "live"},
        {"start": "02:50", "end": "04:00", "mode": "appointments"},
    ]
    spec = {"timezone": "Europe/Paris", "holiday_country": "FR", "week": {"sun": sunday}}
    path.write_text(json.dumps(spec), encoding="utf-8")
    return load_calendar(str(path))


def test_r04_a_span_inside_the_spring_forward_gap_is_empty_and_one_across_it_opens_at_the_jump(
    night_calendar,
):
    # 02:00-02:59 does not exist on 2026-03-29: the clock jumps from 02:00 CET (01:00Z) to 03:00.
    assert hours(night_calendar, date(2026, 3, 29)) == [
        (at(2026, 3, 29, 0, 0), at(2026, 3, 29, 0, 30), LIVE),
        (at(2026, 3, 29, 1, 0), at(2026, 3, 29, 2, 0), APPOINTMENTS),
    ]


def test_r04_a_span_over_the_repeated_fall_back_hour_lasts_its_real_duration(night_calendar):
    # 02:00-02:59 happens twice on 2026-10-25 (00:00Z CEST, then 01:00Z CET): a span opens at the
    # first 02:00 and closes when the clock first shows its end.
    assert hours(night_calendar, date(2026, 10, 25)) == [
        (at(2026, 10, 24, 23, 0), at(2026, 10, 24, 23, 30), LIVE),
        (at(2026, 10, 25, 0, 0), at(2026, 10, 25, 0, 45), LIVE),
        (at(2026, 10, 25, 0, 50), at(2026, 10, 25, 3, 0), APPOINTMENTS),
    ]
    assert night_calendar.business_seconds(at(2026, 10, 25), at(2026, 10, 26)) == (45 + 130) * 60


@pytest.mark.parametrize(
    ("start", "end", "seconds"),
    [
        (at(2026, 2, 10, 11, 0), at(2026, 2, 10, 13, 30), 30 * 60),  # over lunch
        (at(2026, 2, 13, 16, 0), at(2026, 2, 16, 9, 0), 2 * 3600),  # Friday 17:00 -> Monday 10:00
        (at(2026, 2, 9), at(2026, 2, 16), 5 * 7 * 3600),  # a whole week
        (at(2026, 5, 11), at(2026, 5, 18), 4 * 7 * 3600),  # the week of Ascension
        (at(2026, 3, 27, 16, 0), at(2026, 3, 30, 8, 0), 2 * 3600),  # over spring forward
        (at(2026, 10, 23, 15, 0), at(2026, 10, 26, 9, 0), 2 * 3600),  # over fall back
        (at(2026, 2, 10, 15, 0), at(2026, 2, 10, 9, 0), 0),  # end before start
    ],
)
def test_r11_paris_business_seconds_count_only_open_time(start, end, seconds):
    assert paris.business_seconds(start, end) == seconds


def test_r11_bern_business_seconds_of_an_eve_stop_at_16():
    assert bern.business_seconds(at(2026, 5, 13), at(2026, 5, 14)) == 6.5 * 3600


@pytest.mark.parametrize(
    ("calendar", "start", "days", "expected"),
    [
        (paris, at(2026, 2, 10, 9, 0), 1, at(2026, 2, 11, 9, 0)),  # Tuesday 10:00 -> Wednesday
        (paris, at(2026, 2, 13, 14, 0), 1, at(2026, 2, 16, 14, 0)),  # Friday -> Monday
        (paris, at(2026, 5, 13, 8, 0), 1, at(2026, 5, 15, 8, 0)),  # Ascension skipped
        (paris, at(2026, 5, 11, 8, 0), 3, at(2026, 5, 15, 8, 0)),  # R11 resolution in 3 days
        (paris, at(2026, 3, 27, 9, 0), 1, at(2026, 3, 30, 8, 0)),  # 10:00 CET -> 10:00 CEST
        (paris, at(2026, 10, 23, 8, 0), 1, at(2026, 10, 26, 9, 0)),  # 10:00 CEST -> 10:00 CET
        (paris, at(2026, 2, 10, 9, 0), 0, at(2026, 2, 10, 9, 0)),  # open: itself
        (paris, at(2026, 2, 13, 19, 0), 0, at(2026, 2, 16, 8, 0)),  # closed: the next opening
        (paris, at(2026, 2, 13, 19, 0), 1, at(2026, 2, 17, 8, 0)),  # ...then one day on
        (paris, at(2026, 2, 10, 11, 30), 1, at(2026, 2, 11, 13, 0)),  # lunch counts from 14:00
        (bern, at(2026, 2, 12, 16, 30), 1, at(2026, 2, 13, 16, 0)),  # Thu 17:30 -> Fri 17:00
        (bern, at(2026, 5, 12, 15, 0), 1, at(2026, 5, 13, 14, 0)),  # 17:00 -> 16:00 on the eve
        (bern, at(2026, 12, 31, 9, 0), 1, at(2027, 1, 4, 9, 0)),  # over New Year and 2 January
    ],
)
def test_r11_add_business_days_keeps_the_local_time_on_the_nth_open_day(
    calendar, start, days, expected
):
    assert calendar.add_business_days(start, days) == expected


def test_r11_add_business_days_refuses_negative_days():
    with pytest.raises(ValueError, match="days"):
        paris.add_business_days(at(2026, 2, 10, 9), -1)


instants_2026 = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)


@settings(deadline=None, max_examples=200)
@given(st.sampled_from([paris, bern]), instants_2026, instants_2026, st.integers(0, 15))
def test_r11_add_business_days_is_monotonic_and_lands_on_an_open_day(calendar, a, b, days):
    first, second = sorted([a, b])
    due = calendar.add_business_days(first, days)
    assert due.tzinfo is UTC
    assert due <= calendar.add_business_days(second, days)
    assert due < calendar.add_business_days(first, days + 1)
    assert calendar.is_working_day(calendar.local(due).date())
    if days == 0:
        assert calendar.mode_at(due) is not CLOSED


@settings(deadline=None, max_examples=200)
@given(st.sampled_from([paris, bern]), instants_2026)
def test_r03_nothing_is_open_between_a_closed_instant_and_the_next_opening(calendar, now):
    opening = calendar.next_opening(now)
    assert opening is not None and opening.start > now
    assert calendar.mode_at(opening.start) is opening.mode
    if calendar.mode_at(now) is CLOSED:
        assert calendar.business_seconds(now, opening.start) == 0
        assert calendar.interval_at(now) is None


def test_r04_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="tz-aware"):
        paris.mode_at(datetime(2026, 2, 10, 9))


def test_r04_local_shows_an_instant_in_the_calendar_zone():
    assert paris.local(at(2026, 7, 14, 10)).isoformat() == "2026-07-14T12:00:00+02:00"


def test_r04_load_calendar_finds_presets_in_any_case():
    assert load_calendar("PARIS").spec is PARIS
    assert load_calendar("Bern", closures=[date(2026, 6, 10)]).holiday_name(date(2026, 6, 10))


def test_r04_load_calendar_names_the_presets_when_the_name_is_unknown():
    with pytest.raises(ValueError, match=r"unknown calendar 'lyon'.*paris, bern"):
        load_calendar("lyon")


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps({"timezone": "Europe/Paris", "holiday_country": "FR", "week": {"monday": []}}),
        json.dumps({"timezone": "Mars/Olympus", "holiday_country": "FR", "week": {}}),
        json.dumps({"timezone": "Europe/Paris", "holiday_country": "XX", "week": {}}),
        json.dumps(
            {
                "timezone": "Europe/Paris",
                "holiday_country": "FR",
                "week": {"mon": [{"start": "12:00", "end": "09:00", "mode": "live"}]},
            }
        ),
    ],
)
def test_r04_load_calendar_reports_a_bad_json_file_as_a_value_error(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="bad.json"):
        load_calendar(str(path))


def test_r04_a_span_is_a_forward_open_time():
    with pytest.raises(ValueError, match="end after"):
        Span(time(12), time(9), LIVE)
    with pytest.raises(ValueError, match="closed"):
        Span(time(9), time(12), CLOSED)
