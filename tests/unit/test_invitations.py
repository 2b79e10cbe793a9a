"""Invitations (R13, R15): RFC 5545/5546 shape, read back by three independent parsers."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar, Event, vCalAddress

from scheduling.invitations import (
    PRODID,
    Invitation,
    Method,
    appointment_uid,
    build_calendar,
    build_feed,
)

PARIS = ZoneInfo("Europe/Paris")
STAMP = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
TRICKY = "Bonjour Hélène,\nligne 2; point-virgule, virgule \\ antislash\nfin"


def invitation(start: datetime | None = None, **changes: object) -> Invitation:
    start = start or datetime(2026, 6, 15, 14, 0, tzinfo=PARIS)
    base = Invitation(
        uid=appointment_uid(42, "callq.example"),
        sequence=0,
        start=start,
        end=start.astimezone(UTC) + timedelta(minutes=30),  # elapsed time, not wall time
        summary="Rappel du support – Hotline",
        description=TRICKY,
        organizer_email="support@callq.example",
        organizer_name="Support Éditeur",
        attendee_email="helene@clinique.fr",
        attendee_name="Dr Hélène Dupont, clinique",
        url="https://callq.example/rdv/abc?jeton=1&langue=fr",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


# --- three independent readings -------------------------------------------------------------


def read_icalendar(raw: bytes) -> tuple[object, ...]:
    cal = Calendar.from_ical(raw)
    assert all(component.errors == [] for component in cal.walk())
    ev = cal.events[0]
    return (str(cal["METHOD"]), str(ev["UID"]), int(ev["SEQUENCE"]), str(ev["STATUS"]),
            ev.start, ev.end, str(ev["DESCRIPTION"]))


def read_vobject(raw: bytes) -> tuple[object, ...]:
    cal = vobject.readOne(raw.decode("utf-8"))
    cal.validate(raiseException=True)
    ev = cal.vevent
    return (cal.method.value, ev.uid.value, int(ev.sequence.value), ev.status.value,
            ev.dtstart.value.astimezone(UTC), ev.dtend.value.astimezone(UTC), ev.description.value)


def read_ical(raw: bytes) -> tuple[object, ...]:
    cal = IcsCalendarStream.calendar_from_ics(raw.decode("utf-8"))
    ev = cal.events[0]
    return (cal.method, ev.uid, ev.sequence, ev.status.value if ev.status else None,
            ev.dtstart.astimezone(UTC), ev.dtend.astimezone(UTC), ev.description)


def read_all(raw: bytes) -> tuple[object, ...]:
    """What the three parsers agree the calendar says; fails if any of them disagrees."""
    readings = {read(raw) for read in (read_icalendar, read_vobject, read_ical)}
    assert len(readings) == 1, readings
    return readings.pop()


# --- RFC 5546 restriction tables (protocols.md A2/A3) ----------------------------------------


def counts(component: Calendar | Event) -> Counter[str]:
    return Counter(name for name, _ in component.property_items(recursive=False))


def assert_itip(raw: bytes, method: Method) -> None:
    """Check the RFC 5546 §3.2.2 (REQUEST) or §3.2.5 (CANCEL) table for VEVENT."""
    cal = Calendar.from_ical(raw)
    top = counts(cal)
    assert (top["METHOD"], top["PRODID"], top["VERSION"]) == (1, 1, 1)
    assert (str(cal["METHOD"]), str(cal["VERSION"])) == (method.value, "2.0")
    assert cal.events and len({str(ev["UID"]) for ev in cal.events}) == 1
    for ev in cal.events:
        n = counts(ev)
        assert "METHOD" not in n, "METHOD belongs on VCALENDAR"
        for name in ("DTSTAMP", "DTSTART", "ORGANIZER", "UID", "SUMMARY", "SEQUENCE"):
            assert n[name] == 1, name
        assert not (n["DTEND"] and n["DURATION"]) and n["DTEND"] + n["DURATION"] <= 1
        assert n["ATTENDEE"] >= 1
        for address in [ev["ORGANIZER"], *ev.attendees]:
            assert re.fullmatch(r"mailto:[^\s<>\"]+@[^\s<>\"]+", str(address), re.I), address
        assert n["REQUEST-STATUS"] == n["RECURRENCE-ID"] == 0
        assert_utc(ev)
        if method is Method.CANCEL:
            assert str(ev["STATUS"]) == "CANCELLED"
            assert not ev.walk("VALARM")
        else:
            assert str(ev["STATUS"]) in {"TENTATIVE", "CONFIRMED"}


def assert_utc(ev: Event) -> None:
    for name in ("DTSTAMP", "DTSTART", "DTEND"):
        assert "TZID" not in ev[name].params
        assert ev[name].dt.utcoffset() == timedelta(0), name


def test_itip_table_check_can_fail() -> None:
    good = Calendar.from_ical(build_calendar(invitation(), Method.REQUEST, STAMP))
    broken = [Calendar.from_ical(good.to_ical()) for _ in range(3)]
    broken[0].events[0].add("METHOD", "REQUEST")
    broken[1].events[0]["ORGANIZER"] = vCalAddress("mailto:Support <support@callq.example>")
    broken[2].events[0].pop("ATTENDEE")
    assert_itip(good.to_ical(), Method.REQUEST)
    for cal in broken:
        with pytest.raises(AssertionError):
            assert_itip(cal.to_ical(), Method.REQUEST)
    with pytest.raises(AssertionError):  # a REQUEST with STATUS:CANCELLED is no cancel
        assert_itip(good.to_ical(), Method.CANCEL)


# --- the rules --------------------------------------------------------------------------------


def test_r13_request_follows_the_rfc5546_request_table() -> None:
    raw = build_calendar(invitation(), Method.REQUEST, STAMP)
    assert_itip(raw, Method.REQUEST)
    cal = Calendar.from_ical(raw)
    ev = cal.events[0]
    assert str(cal["PRODID"]) == PRODID
    attendee = ev.attendees[0]
    assert (attendee.params["ROLE"], attendee.params["PARTSTAT"], attendee.params["RSVP"]) == (
        "REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE")
    assert attendee.params["CN"] == "Dr Hélène Dupont, clinique"
    assert ev["ORGANIZER"].params["CN"] == "Support Éditeur"
    assert str(ev["URL"]) == "https://callq.example/rdv/abc?jeton=1&langue=fr"
    assert ev.DTSTAMP == STAMP


def test_r13_cancel_follows_the_rfc5546_cancel_table() -> None:
    raw = build_calendar(invitation(sequence=3), Method.CANCEL, STAMP)
    assert_itip(raw, Method.CANCEL)
    assert read_all(raw)[:4] == ("CANCEL", "appt-42@callq.example", 3, "CANCELLED")


def test_r13_request_reminds_the_client_before_the_callback() -> None:
    ev = Calendar.from_ical(build_calendar(invitation(), Method.REQUEST, STAMP)).events[0]
    [alarm] = ev.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].dt < timedelta(0)


@pytest.mark.parametrize(
    ("local_start", "utc_start", "utc_end"),
    [
        pytest.param(datetime(2026, 6, 15, 14, 0), datetime(2026, 6, 15, 12, 0),
                     datetime(2026, 6, 15, 12, 30), id="summer"),
        pytest.param(datetime(2026, 12, 14, 14, 0), datetime(2026, 12, 14, 13, 0),
                     datetime(2026, 12, 14, 13, 30), id="winter"),
        pytest.param(datetime(2026, 3, 29, 14, 0), datetime(2026, 3, 29, 12, 0),
                     datetime(2026, 3, 29, 12, 30), id="spring-forward-day"),
        pytest.param(datetime(2026, 10, 25, 14, 0), datetime(2026, 10, 25, 13, 0),
                     datetime(2026, 10, 25, 13, 30), id="fall-back-day"),
        pytest.param(datetime(2026, 3, 29, 1, 45), datetime(2026, 3, 29, 0, 45),
                     datetime(2026, 3, 29, 1, 15), id="across-spring-forward"),
        pytest.param(datetime(2026, 10, 25, 2, 15, fold=1), datetime(2026, 10, 25, 1, 15),
                     datetime(2026, 10, 25, 1, 45), id="second-02h15-of-fall-back"),
    ],
)
@pytest.mark.parametrize("method", [Method.REQUEST, Method.CANCEL])
def test_r04_three_parsers_agree_on_the_utc_instants_of_a_paris_slot(
    method: Method, local_start: datetime, utc_start: datetime, utc_end: datetime
) -> None:
    start = local_start.replace(tzinfo=PARIS)
    raw = build_calendar(invitation(start, sequence=1), method, STAMP)
    status = "CANCELLED" if method is Method.CANCEL else "CONFIRMED"
    assert read_all(raw) == (method.value, "appt-42@callq.example", 1, status,
                             utc_start.replace(tzinfo=UTC), utc_end.replace(tzinfo=UTC), TRICKY)
    assert_itip(raw, method)


def test_r04_any_input_zone_is_emitted_in_utc_without_vtimezone() -> None:
    zurich = datetime(2026, 7, 2, 13, 30, tzinfo=ZoneInfo("Europe/Zurich"))
    offset = datetime(2026, 7, 2, 13, 30, tzinfo=timezone(timedelta(hours=2)))
    for start in (zurich, offset):
        cal = Calendar.from_ical(build_calendar(invitation(start), Method.REQUEST, STAMP))
        assert not cal.walk("VTIMEZONE")
        assert cal.events[0].start == datetime(2026, 7, 2, 11, 30, tzinfo=UTC)
        assert_utc(cal.events[0])


def test_r13_move_resends_same_uid_with_higher_sequence() -> None:
    first = invitation()
    moved = replace(first, sequence=1, start=first.start + timedelta(days=1),
                    end=first.end + timedelta(days=1))
    cancelled = replace(moved, sequence=2)
    sends = [
        build_calendar(first, Method.REQUEST, STAMP),
        build_calendar(moved, Method.REQUEST, STAMP + timedelta(hours=1)),
        build_calendar(cancelled, Method.CANCEL, STAMP + timedelta(hours=2)),
    ]
    events = [Calendar.from_ical(raw).events[0] for raw in sends]
    assert [read_all(raw)[0] for raw in sends] == ["REQUEST", "REQUEST", "CANCEL"]
    assert len({str(ev["UID"]) for ev in events}) == 1
    assert [ev.sequence for ev in events] == [0, 1, 2]
    stamps = [ev.DTSTAMP for ev in events]
    assert stamps == sorted(stamps) and len(set(stamps)) == 3
    # The cancel names the current version's times, so clients match it to what they hold.
    assert events[1].start == events[2].start == datetime(2026, 6, 16, 12, 0, tzinfo=UTC)
    for raw, method in zip(sends, (Method.REQUEST, Method.REQUEST, Method.CANCEL), strict=True):
        assert_itip(raw, method)


def test_r15_no_show_move_is_an_updated_request_not_a_cancel() -> None:
    booked = invitation(sequence=4)
    next_slot = datetime(2026, 6, 15, 16, 30, tzinfo=PARIS)
    moved = replace(booked, sequence=5, start=next_slot, end=next_slot + timedelta(minutes=30))
    method, uid, sequence, status, start, *_ = read_all(
        build_calendar(moved, Method.REQUEST, STAMP))
    assert (method, uid, sequence, status) == ("REQUEST", booked.uid, 5, "CONFIRMED")
    assert start == datetime(2026, 6, 15, 14, 30, tzinfo=UTC)


def test_r13_same_appointment_same_send_gives_identical_bytes() -> None:
    # An outbox retry must not look like a new revision to the client.
    assert build_calendar(invitation(), Method.REQUEST, STAMP) == build_calendar(
        invitation(), Method.REQUEST, STAMP)


def test_r13_uid_derives_from_the_appointment_row() -> None:
    assert appointment_uid(7, "Callq.Example") == "appt-7@callq.example"
    assert appointment_uid(7, "callq.example") == appointment_uid(7, "callq.example")
    assert appointment_uid(7, "callq.example") != appointment_uid(8, "callq.example")
    for bad_domain in ("", "callq example", "evil\r\nX:1"):
        with pytest.raises(ValueError):
            appointment_uid(7, bad_domain)


# --- serialisation -----------------------------------------------------------------------------


def content_lines(raw: bytes) -> list[bytes]:
    assert raw.endswith(b"\r\n")
    return raw[:-2].split(b"\r\n")


def test_lines_end_with_crlf_and_fold_at_75_octets() -> None:
    long_text = "Décrivez le problème rencontré à l'écran « Facturation » : " * 6
    raw = build_calendar(invitation(description=long_text, url="https://callq.example/"
                                    + "a" * 150), Method.REQUEST, STAMP)
    lines = content_lines(raw)
    assert raw.count(b"\n") == raw.count(b"\r\n") and b"\r" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # folding did happen
    for line in lines:
        line.decode("utf-8")  # a fold never splits a multi-byte character
    assert read_all(raw)[6] == long_text


def test_text_escaping_of_comma_semicolon_backslash_and_newline() -> None:
    raw = build_calendar(invitation(), Method.REQUEST, STAMP)
    unfolded = raw.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")
    event = unfolded[unfolded.index("BEGIN:VEVENT"):unfolded.index("BEGIN:VALARM")]
    [value] = [line.split(":", 1)[1] for line in event if line.startswith("DESCRIPTION:")]
    expected = (TRICKY.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
                .replace("\n", "\\n"))
    assert value == expected
    assert read_all(raw)[6] == TRICKY


def test_non_ascii_round_trips_in_summary_names_and_description() -> None:
    raw = build_calendar(invitation(summary="Rappel – Hélène à 14 h"), Method.REQUEST, STAMP)
    assert read_all(raw)[6] == TRICKY
    assert str(vobject.readOne(raw.decode()).vevent.summary.value) == "Rappel – Hélène à 14 h"
    assert IcsCalendarStream.calendar_from_ics(raw.decode()).events[0].summary == (
        "Rappel – Hélène à 14 h")
    ev = Calendar.from_ical(raw).events[0]
    assert (str(ev["SUMMARY"]), ev.attendees[0].params["CN"]) == (
        "Rappel – Hélène à 14 h", "Dr Hélène Dupont, clinique")


# --- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"start": datetime(2026, 6, 15, 14, 0)}, id="naive-start"),
        pytest.param({"end": datetime(2026, 6, 15, 14, 30)}, id="naive-end"),
        pytest.param({"end": datetime(2026, 6, 15, 14, 0, tzinfo=PARIS)}, id="end-equals-start"),
        pytest.param({"end": datetime(2026, 6, 15, 13, 0, tzinfo=PARIS)}, id="end-before-start"),
        pytest.param({"start": datetime(2026, 3, 29, 2, 30, tzinfo=PARIS)}, id="nonexistent-0230"),
        pytest.param({"sequence": -1}, id="negative-sequence"),
        pytest.param({"sequence": True}, id="bool-sequence"),
        pytest.param({"uid": "appt 1@x"}, id="uid-with-space"),
        pytest.param({"organizer_email": "Support <support@callq.example>"}, id="named-organizer"),
        pytest.param({"attendee_email": "mailto:helene@clinique.fr"}, id="mailto-attendee"),
        pytest.param({"attendee_email": "helene@clinique.fr\r\nX-Evil:1"}, id="crlf-attendee"),
    ],
)
def test_invalid_invitations_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        invitation(**changes)


def test_r13_cancel_at_sequence_zero_is_refused() -> None:
    with pytest.raises(ValueError):
        build_calendar(invitation(sequence=0), Method.CANCEL, STAMP)


def test_naive_stamp_and_publish_method_are_refused() -> None:
    with pytest.raises(ValueError):
        build_calendar(invitation(), Method.REQUEST, datetime(2026, 6, 1, 9, 0))
    with pytest.raises(ValueError):
        build_calendar(invitation(), Method.PUBLISH, STAMP)
    with pytest.raises(ValueError):
        build_feed([invitation()], name="x", stamp=datetime(2026, 6, 1, 9, 0))


# --- the agent's feed ------------------------------------------------------------------------


def test_r13_agent_feed_publishes_one_event_per_appointment_in_utc() -> None:
    a = invitation()
    b = invitation(datetime(2026, 12, 14, 15, 0, tzinfo=PARIS), uid="appt-43@callq.example",
                   sequence=2, attendee_name="Cabinet Müller", attendee_email="m@cabinet.ch")
    raw = build_feed([a, b], name="Agenda de Léa", stamp=STAMP)
    cal = Calendar.from_ical(raw)
    assert all(component.errors == [] for component in cal.walk())
    assert (str(cal["METHOD"]), str(cal["X-WR-CALNAME"]), cal.calendar_name) == (
        "PUBLISH", "Agenda de Léa", "Agenda de Léa")
    assert cal.refresh_interval == timedelta(minutes=15)
    assert [(str(ev["UID"]), ev.sequence, ev.start) for ev in cal.events] == [
        ("appt-42@callq.example", 0, datetime(2026, 6, 15, 12, 0, tzinfo=UTC)),
        ("appt-43@callq.example", 2, datetime(2026, 12, 14, 14, 0, tzinfo=UTC)),
    ]
    for ev in cal.events:  # RFC 5546 §3.2.1: ORGANIZER 1, ATTENDEE 0
        assert (counts(ev)["ORGANIZER"], counts(ev)["ATTENDEE"]) == (1, 0)
        assert_utc(ev)
    assert [str(ev["CONTACT"]) for ev in cal.events] == [
        "Dr Hélène Dupont, clinique <helene@clinique.fr>", "Cabinet Müller <m@cabinet.ch>"]
    vobject.readOne(raw.decode()).validate(raiseException=True)
    parsed = IcsCalendarStream.calendar_from_ics(raw.decode())
    assert [ev.dtstart for ev in parsed.events] == [ev.start for ev in cal.events]


def test_r13_feed_holds_each_appointment_once_and_may_be_empty() -> None:
    with pytest.raises(ValueError):
        build_feed([invitation(), invitation(sequence=1)], name="x", stamp=STAMP)
    raw = build_feed([], name="Agenda vide", stamp=STAMP)
    assert Calendar.from_ical(raw).events == []
    assert IcsCalendarStream.calendar_from_ics(raw.decode()).events == []
