"""The outbox's pure rules: when a delivered job runs, what a dead runner's lease means, what a
run's end makes of an effect, the retry schedule, and the health verdicts."""

from datetime import UTC, datetime, timedelta

import pytest

from callq import health_rules
from callq import outbox_rules as rules
from callq.failed_effects import concerned
from callq.outbox_rules import Failure, Take
from callq.ports import DeliveryError, PermanentFailure, UnconfirmedDelivery
from callq.settings import SettingsError, load_settings
from callq.status import EffectStatus
from callq.supervisor import restart_delay

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
S = timedelta(seconds=1)
P, R, D, F = EffectStatus.PENDING, EffectStatus.RUNNING, EffectStatus.DONE, EffectStatus.FAILED


@pytest.mark.parametrize(("status", "due", "lease", "sending", "attempts", "expected"), [
    (P, NOW, None, False, 0, Take.RUN),
    (P, NOW + 4 * S, None, False, 0, Take.RUN),  # within the tolerance: skew is harmless
    (P, NOW + 6 * S, None, False, 0, Take.EARLY),  # early: deferred, never dropped
    (D, NOW, None, False, 1, Take.SKIP),
    (F, NOW, None, False, 8, Take.SKIP),
    (R, NOW, NOW + S, True, 1, Take.SKIP),  # another run holds a live lease
    (R, NOW, NOW, False, 1, Take.SKIP),  # the lease's last instant still counts
    (R, NOW, NOW - S, False, 1, Take.RUN),  # died before the outside call: plain rerun
    (R, NOW, NOW - S, True, 1, Take.RESUME),  # died while sending: resend, same key
    (R, NOW, NOW - S, True, 8, Take.GIVE_UP),  # died on every allowed attempt
    (R, NOW + 60 * S, NOW - S, True, 1, Take.EARLY),
])
def test_a_delivered_job_runs_only_when_due_and_free(status, due, lease, sending, attempts,
                                                     expected):
    assert rules.take(status, due, lease, sending_started=sending, attempts=attempts,
                      max_attempts=8, now=NOW, tolerance=5 * S) is expected


@pytest.mark.parametrize(("error", "failure"), [
    (PermanentFailure("550 no such user"), Failure.PERMANENT),
    (UnconfirmedDelivery("no answer after the dot"), Failure.UNCONFIRMED),
    (DeliveryError("421 try later"), Failure.TEMPORARY),
    (OSError(28, "No space left on device"), Failure.TEMPORARY),
    (KeyError("to"), Failure.TEMPORARY),
])
def test_each_error_is_classified_for_the_resend(error, failure):
    assert rules.classify(error) is failure


@pytest.mark.parametrize(("failure", "attempts", "status"), [
    (None, 1, D),
    (Failure.TEMPORARY, 1, P),
    (Failure.TEMPORARY, 7, P),
    (Failure.TEMPORARY, 8, F),  # attempts spent
    (Failure.PERMANENT, 1, F),  # SMTP 5xx, Twilio 4xx: at once, not after 8 tries
    (Failure.UNCONFIRMED, 1, F),  # maybe delivered: left to the administrator, never resent
])
def test_a_run_s_end_decides_the_effect_s_status(failure, attempts, status):
    assert rules.after_run(failure, attempts=attempts, max_attempts=8) == status


def test_retries_wait_three_times_longer_each_time_up_to_an_hour():
    delays = [rules.backoff(n, timedelta(seconds=10)).total_seconds() for n in range(1, 9)]
    assert delays == [10, 30, 90, 270, 810, 2430, 3600, 3600]
    assert sum(delays) > 2 * 3600  # a disk full for two hours is outlasted


def test_the_administrator_reads_what_an_error_means_for_a_retry():
    text = rules.describe(Failure.UNCONFIRMED, UnconfirmedDelivery("silence after the dot"))
    assert text.startswith("unconfirmed, not resent") and "silence after the dot" in text
    assert rules.describe(Failure.PERMANENT, PermanentFailure("550")).startswith("refused")


@pytest.mark.parametrize(("key", "subject"), [
    ("entry-12-awaiting-2026-12-01T10:00:00+00:00", ("entry", 12)),
    ("appt-7-seq-2-request", ("appointment", 7)),
    ("appt-7-reminder-60-20261202T1400-email", ("appointment", 7)),
    ("booking-link-abc-email", None),
    ("entry-x-1", None),
])
def test_an_outbox_key_names_the_entry_or_appointment_it_concerns(key, subject):
    assert concerned(key) == subject


def test_health_names_each_pool_without_a_live_worker():
    pools = ("telephony", "timers", "email")
    assert health_rules.worker_problems({"telephony": 1, "timers": 2, "email": 1}, pools) == []
    assert health_rules.worker_problems({"timers": 1}, pools) == [
        "workers: no live worker for the telephony pool",
        "workers: no live worker for the email pool"]


@pytest.mark.parametrize(("last", "problems"), [
    (NOW - 10 * S, []),
    (NOW - 16 * S, ["scheduler: silent for 16 s"]),
    (None, ["scheduler: never seen"]),
])
def test_health_says_when_the_scheduler_went_silent(last, problems):
    assert health_rules.scheduler_problems(last, NOW, 15 * S) == problems


def test_health_counts_overdue_effects_and_the_oldest():
    assert health_rules.outbox_problems(0, None, NOW) == []
    assert health_rules.outbox_problems(33, NOW - 150 * S, NOW) == [
        "outbox: 33 effect(s) overdue, the oldest by 150 s"]


def test_a_child_that_keeps_dying_is_restarted_ever_later_up_to_30_s():
    assert [restart_delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_a_send_deadline_not_shorter_than_the_lease_is_refused_naming_both():
    with pytest.raises(SettingsError, match="SEND_DEADLINE_SECONDS.*EFFECT_LEASE_SECONDS"):
        load_settings({"CALLQ_EFFECT_LEASE_SECONDS": "60", "CALLQ_SEND_DEADLINE_SECONDS": "60"})


def test_a_clock_offset_is_for_tests_and_refused_in_production():
    assert load_settings({"CALLQ_CLOCK_OFFSET_SECONDS": "2"}).clock_offset_seconds == 2.0
    with pytest.raises(SettingsError, match="CLOCK_OFFSET_SECONDS"):
        load_settings({"CALLQ_ENV": "production", "CALLQ_CLOCK_OFFSET_SECONDS": "2"})
