"""Reminders (R17): the day before and one hour before (settings), by email and SMS, each
sent once, and never for an appointment that moved or was cancelled."""

from __future__ import annotations

from datetime import timedelta

from callq import db, effects
from scheduling.booking import cancel_appointment, move_appointment
from tests.conftest import run_due_jobs
from tests.planner_support import (
    MONDAY_14H,
    add_agent,
    book,
    effects_of,
    received,
    run_at,
    text_of,
)

TUESDAY_15H = MONDAY_14H + timedelta(days=1, hours=1)  # 15:00 in Paris


def _reminders_sent(mailer):
    return sorted(key for key in mailer.sent if "-reminder-" in key)


def test_r17_reminders_are_due_the_day_before_and_one_hour_before(runtime):
    add_agent(runtime)
    appt = book(runtime, start=TUESDAY_15H)
    timers = effects_of(runtime, "appointment_reminder")
    assert sorted((e.due_at, e.payload["minutes"]) for e in timers) == [
        (TUESDAY_15H - timedelta(days=1), 1440), (TUESDAY_15H - timedelta(hours=1), 60)]
    assert all(e.payload["appointment_id"] == appt.id for e in timers)


def test_r17_a_reminder_already_past_at_booking_is_not_sent(runtime):
    add_agent(runtime)
    book(runtime)  # today at 14:00: "the day before" is gone
    assert [e.payload["minutes"] for e in effects_of(runtime, "appointment_reminder")] == [60]


def test_r17_each_reminder_goes_once_by_email_and_by_sms(runtime, queue, clock, mailer):
    add_agent(runtime)
    appt = book(runtime, start=TUESDAY_15H)
    run_due_jobs(runtime, queue)
    run_at(runtime, queue, clock, TUESDAY_15H - timedelta(days=1))
    run_at(runtime, queue, clock, TUESDAY_15H - timedelta(hours=1))
    [day_before, hour_before] = effects_of(runtime, "appointment_reminder")
    effects.run_effect(runtime, day_before.id)  # a duplicate delivery finds it done
    run_due_jobs(runtime, queue)
    stamp = "20260331T1300Z"
    assert _reminders_sent(mailer) == [f"appt-{appt.id}-reminder-1440-{stamp}-email",
                                       f"appt-{appt.id}-reminder-60-{stamp}-email"]
    sms = [e.payload for e in effects_of(runtime, "sms")]
    assert [s["to"] for s in sms] == ["+33612345678", "+33612345678"]
    assert all("31/3 à 15 h 00" in s["body"] for s in sms)  # short, GSM-7 (callq.sms)
    mail = received(mailer, f"appt-{appt.id}-reminder-60-{stamp}-email")
    assert "mardi 31 mars 2026 à 15\u00a0h\u00a000" in mail["Subject"]
    assert "/book/appointment/" in text_of(mail)
    assert mail.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html"]


def test_r17_a_moved_appointment_is_reminded_at_its_new_time_only(runtime, queue, clock, mailer):
    add_agent(runtime)
    appt = book(runtime, start=TUESDAY_15H)
    later = TUESDAY_15H + timedelta(days=1)
    with db.write(runtime.sessions) as session:
        move_appointment(session, runtime, appt.id, start=later)
    run_at(runtime, queue, clock, TUESDAY_15H - timedelta(hours=1))
    assert _reminders_sent(mailer) == []
    run_at(runtime, queue, clock, later - timedelta(hours=1))
    assert _reminders_sent(mailer) == [f"appt-{appt.id}-reminder-1440-20260401T1300Z-email",
                                       f"appt-{appt.id}-reminder-60-20260401T1300Z-email"]


def test_r17_a_cancelled_appointment_is_not_reminded(runtime, queue, clock, mailer):
    add_agent(runtime)
    appt = book(runtime, start=TUESDAY_15H)
    with db.write(runtime.sessions) as session:
        cancel_appointment(session, runtime, appt.id)
    run_at(runtime, queue, clock, TUESDAY_15H - timedelta(minutes=30))
    assert _reminders_sent(mailer) == []
    assert [e.kind for e in effects_of(runtime, "sms")] == []


def test_r17_reminder_times_follow_the_setting(runtime):
    runtime.settings = runtime.settings.replace(appointment_reminder_minutes=(180,))
    add_agent(runtime)
    book(runtime, start=TUESDAY_15H)
    assert [e.due_at for e in effects_of(runtime, "appointment_reminder")] == [
        TUESDAY_15H - timedelta(hours=3)]
