"""The reports' figures on a built history with known answers (R5-R16), on SQLite and
PostgreSQL: the period's volume, service levels in business hours (a holiday and a paused
clock included), outcomes, appointments and the room's size by day (tests/report_history.py)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from callq import db
from callq.models import Message, WaitingEntry
from callq.reports.figures import read_report
from callq.reports.tables import Period
from tests import report_history
from tests.report_history import END, START, History, paris


@pytest.fixture
def app(tmp_path, engine, clock, mailer, queue) -> Flask:
    return report_history.app_for(tmp_path, engine, clock, mailer, queue)


@pytest.fixture
def history(runtime, clock) -> History:
    return report_history.build(runtime, clock)


def _rows(report, name):
    table = report.table(name)
    return {(row[0], row[1]): dict(zip(table.columns[2:], row[2:], strict=True))
            for row in table.rows}


def test_r05_r08_volume_counts_messages_entries_merged_and_vague(runtime, history):
    volume = _rows(read_report(runtime, Period(START, END)), "volume")
    # Five messages filed as five entries, and E2's caller calling again.
    assert volume[("all", "")] == {"messages": 6, "entries_opened": 5, "merged": 1, "vague": 1}
    assert volume[("tier", "medium")] == {"messages": 2, "entries_opened": 2, "merged": 1,
                                          "vague": 0}
    assert volume[("tier", "high")]["messages"] == 2


def test_r05_a_message_not_filed_yet_counts_once_among_all_messages(runtime, history):
    with db.write(runtime.sessions) as session:
        session.add(Message(call_sid="CA-not-filed", from_number="+33612345678",
                            received_at=paris(4, 7, 10), speech_text="le logiciel plante"))
    volume = _rows(read_report(runtime, Period(START, END)), "volume")
    assert volume[("all", "")]["messages"] == 7  # the six of the history, and this one
    assert sum(volume[("tier", tier)]["messages"] for tier in
               ("critical", "high", "medium", "low")) == 6


def test_r11_service_levels_in_business_hours_with_a_holiday_and_a_paused_clock(runtime,
                                                                                history):
    service = _rows(read_report(runtime, Period(START, END)), "service")
    assert service[("all", "")] == {
        "entries": 4,  # the merged entry lives on in E3
        # first callbacks: 1.5 h (E1) and 7.5 h (E2, Easter Monday not counted)
        "first_callback_median_h": 4.5, "first_callback_p90_h": 6.9,
        # met: E1, E4 (closed by its client first); late: E2, and E3 still waiting past its due
        "first_callback_within_pct": 50.0,
        # E1, E2 (Tuesday 11:00, due Tuesday 17:00), E4; E3 merged into after its due time
        "qualification_within_pct": 75.0,
        # E1 1.5 h; E2 8.5 h: 10 h less the 1.5 h its clock was paused while the entry waited
        "resolution_median_h": 5.0, "resolution_p90_h": 7.8,
        "resolution_within_pct": 100.0,  # E3 is not yet due; a cancelled entry is no resolution
        "attempts_per_entry": 1.5,  # three outcomes recorded on the two entries called back
    }
    assert service[("tier", "high")]["first_callback_median_h"] == 7.5
    assert service[("tier", "high")]["first_callback_within_pct"] == 0.0
    assert service[("tier", "high")]["resolution_median_h"] == 8.5
    assert service[("tier", "medium")]["first_callback_within_pct"] == 0.0
    # E4, cancelled by its client: its first callback and qualification were stopped in time
    # by the close, but a cancelled entry was not resolved: no resolution verdict.
    assert service[("tier", "low")]["first_callback_within_pct"] == 100.0
    assert service[("tier", "low")]["resolution_within_pct"] is None
    assert service[("agent", "Camille")] == {
        "entries": 1, "first_callback_median_h": 1.5, "first_callback_p90_h": 1.5,
        "first_callback_within_pct": 100.0, "qualification_within_pct": None,
        "resolution_median_h": 1.5, "resolution_p90_h": 1.5, "resolution_within_pct": 100.0,
        "attempts_per_entry": 1.0}
    assert service[("agent", "Dominique")]["attempts_per_entry"] == 2.0
    assert service[("agent", "Dominique")]["resolution_median_h"] == 8.5


def test_r11_a_second_reading_counts_the_measured_figures_alike(runtime, history):
    first = read_report(runtime, Period(START, END)).table("service")
    with runtime.sessions() as session:
        measured = session.scalars(select(WaitingEntry.id).where(
            WaitingEntry.sla_closed_at.is_not(None)).order_by(WaitingEntry.id)).all()
    e1, e2, _, e4, _ = history.entries
    assert measured == [e1, e2, e4]  # closed ones, measured once; the merged one is not counted
    assert read_report(runtime, Period(START, END)).table("service") == first


def test_r10_outcomes_of_the_period_by_tier_and_by_agent(runtime, history):
    outcomes = _rows(read_report(runtime, Period(START, END)), "outcomes")
    assert outcomes[("all", "")] == {"solved": 1, "documentation": 1, "out_of_scope": 0,
                                     "booked": 0, "no_answer": 1, "expired": 0,
                                     "cancelled_by_client": 1}
    assert outcomes[("agent", "Dominique")]["no_answer"] == 1
    assert outcomes[("agent", "Dominique")]["documentation"] == 1
    assert outcomes[("tier", "low")]["cancelled_by_client"] == 1


def test_r13_r16_appointments_booked_moved_extended_and_followed_up(runtime, history):
    appointments = _rows(read_report(runtime, Period(START, END)), "appointments")
    expected = {"appointments_booked": 2, "moved": 1, "no_shows": 0, "extended": 1,
                "second_appointments": 1}
    assert appointments[("all", "")] == expected
    assert appointments[("agent", "Camille")] == expected


def test_r05_the_room_s_size_at_the_end_of_each_local_day(runtime, history):
    daily = read_report(runtime, Period(START, END)).table("daily")
    by_day = {row[0]: row[1:] for row in daily.rows}
    assert len(by_day) == 10
    assert by_day["2026-04-01"] == (1, 1, 0)  # E1 arrived and was solved
    assert by_day["2026-04-02"] == (1, 1, 1)
    assert by_day["2026-04-06"] == (0, 0, 1)  # Easter Monday: E2 still waits for its client
    assert by_day["2026-04-07"] == (1, 0, 0)  # the client called again; E2 closed
    assert by_day["2026-04-09"] == (2, 2, 2)  # E4 opened and cancelled, E5 opened
    assert by_day["2026-04-10"] == (0, 0, 1)  # E5 merged into E3


def test_r11_a_period_before_the_history_is_empty_and_after_it_counts_what_is_still_open(
        runtime, history):
    before = read_report(runtime, Period(paris(3, 2, 12).date(), paris(3, 31, 12).date()))
    assert before.table("volume").rows[0][2:] == (0, 0, 0, 0)
    after = read_report(runtime, Period(paris(4, 11, 12).date(), paris(4, 12, 12).date()))
    assert after.table("daily").column("open_at_day_end") == [1, 1]  # E3
