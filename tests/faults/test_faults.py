"""Nothing sent twice, nothing stuck: the outbox keeps its promise under faults (issue 10).

Each test reads one scenario's outcome (tests/faults/scenarios.py, run by conftest.py against
real processes, PostgreSQL, private Redis servers and an aiosmtpd sink) and asserts the counts
at the SMTP sink and the telephony boundary, recovery, and /healthz during and after.
"""

from __future__ import annotations

import pytest

from tests.faults.world import RECOVERY_BAR, Outcome


def _outcome(fault_outcomes: dict[str, Outcome], scenario_id: str) -> Outcome:
    outcome = fault_outcomes[scenario_id]
    if outcome.error:
        pytest.fail(f"{outcome.title}\n{outcome.error}\n{outcome.facts.get('logs', '')}",
                    pytrace=False)
    return outcome


def _kept_the_promise(outcome: Outcome, doubled: int = 0, failed: int = 0) -> None:
    assert (outcome.lost, outcome.doubled, outcome.stuck) == (0, doubled, 0), outcome
    assert outcome.recovery is not None and outcome.recovery <= RECOVERY_BAR, outcome
    _, body = outcome.facts["health_after"]  # /healthz after: the outbox's truth
    assert body["database"]["ok"] and body["redis"]["ok"], body
    assert (body["outbox"]["overdue"], body["outbox"]["failed"]) == (0, failed), body


def test_01_a_worker_killed_after_smtp_took_the_email_resends_it_once_with_its_message_id(
        fault_outcomes):
    outcome = _outcome(fault_outcomes, "01")
    _kept_the_promise(outcome, doubled=1)  # the one documented duplicate
    assert outcome.facts["twice"] == ["s01-0"] and outcome.facts["same_message_id"]
    assert outcome.facts["counts"]["<s01-0@callq.example.test>"] == 2


def test_02_a_late_250_is_one_email_and_a_silence_after_the_dot_is_never_resent(
        fault_outcomes):
    outcome = _outcome(fault_outcomes, "02")
    _kept_the_promise(outcome, failed=1)  # the unconfirmed one, left to the administrator
    assert outcome.facts["late_statuses"] == ["done"] * 4
    status, attempts, error = outcome.facts["silent"]
    assert (status, attempts, outcome.facts["silent_copies"]) == ("failed", 1, 1)
    assert error.startswith("unconfirmed, not resent")
    assert "s02-silent-0" in outcome.facts["listed"] and "unconfirmed" in outcome.facts["listed"]


def test_03_a_slow_smtp_server_never_gets_two_runs_of_one_email(fault_outcomes):
    outcome = _outcome(fault_outcomes, "03")
    _kept_the_promise(outcome)
    assert outcome.facts["taken_during"] == 0  # every try stopped at its deadline
    assert min(outcome.facts["attempts_during"]) >= 2  # and was tried again, backing off
    assert outcome.facts["lease_lost_lines"] == 0  # no run ever outlived its lease


def test_04_clock_skew_of_seconds_is_harmless_and_an_early_job_is_deferred_not_dropped(
        fault_outcomes):
    outcome = _outcome(fault_outcomes, "04")
    _kept_the_promise(outcome)
    deferred = outcome.facts["deferred"]
    assert not [line for line in deferred if "s04-0.05-" in line or "s04-2-" in line]
    assert {f"s04-8-{i}" for i in range(3)} <= {
        word for line in deferred for word in line.split()}


def test_05_a_redis_restart_under_callq_serve_loses_and_doubles_nothing(fault_outcomes):
    outcome = _outcome(fault_outcomes, "05")
    _kept_the_promise(outcome)
    facts = outcome.facts
    assert facts["serve_alive"], "serve must outlive Redis and a worker"
    status, body = facts["during"]
    assert status == 503 and any(p.startswith("redis") for p in body["problems"])
    assert facts["workers_after"] == facts["workers_before"]  # the same processes survived


def test_06_a_dead_scheduler_shows_in_healthz_and_its_work_runs_when_it_returns(
        fault_outcomes):
    outcome = _outcome(fault_outcomes, "06")
    _kept_the_promise(outcome)
    status, body = outcome.facts["during"]
    assert status == 503
    assert any(p.startswith("scheduler: silent") for p in body["problems"])
    assert body["outbox"]["overdue"] >= 1 and body["outbox"]["oldest_overdue_due_at"]


def test_06b_healthz_counts_live_workers_through_a_redis_restart_and_drops_a_killed_one(
        fault_outcomes):
    outcome = _outcome(fault_outcomes, "06b")
    _kept_the_promise(outcome)
    status, body = outcome.facts["during"]
    assert status == 503 and body["workers"]["count"] == 3  # Redis down, workers still alive
    assert [p for p in body["problems"] if not p.startswith("redis")] == []
    status, body = outcome.facts["after_kill"]
    assert status == 503 and body["workers"]["by_pool"]["timers"] == 0
    assert "workers: no live worker for the timers pool" in body["problems"]


def test_07_an_orphaned_lease_is_handed_over_once_per_grace_not_every_second(fault_outcomes):
    outcome = _outcome(fault_outcomes, "07")
    _kept_the_promise(outcome)
    grace, window = 2.0, outcome.facts["window"]
    assert 1 <= outcome.facts["queued"] <= window / grace + 1
    assert outcome.facts["runs"] == 1


def test_08_a_permanent_refusal_fails_at_once_is_listed_and_retried_by_the_cli(
        fault_outcomes):
    outcome = _outcome(fault_outcomes, "08")
    _kept_the_promise(outcome)
    assert outcome.facts["attempts"] == [1, 1, 1]
    assert all("550" in error for error in outcome.facts["errors"])
    listed = outcome.facts["listed"]
    assert listed.startswith("exit 0") and listed.count("s08-bad-") == 3
    assert outcome.facts["retried"].startswith("exit 0\n3 effect(s) handed")


def test_08b_a_full_disk_delays_emails_and_leaves_no_empty_files(fault_outcomes):
    outcome = _outcome(fault_outcomes, "08b")
    _kept_the_promise(outcome)
    assert outcome.facts["during"] == {"eml": 0, "tmp": 0}
    assert outcome.facts["files"] == sorted(f"s08b-{i}.eml" for i in range(10))
    assert set(outcome.facts["writes"].values()) == {1}  # each written once, per the log


def test_09_a_cold_shutdown_hands_the_job_back_at_once(fault_outcomes):
    outcome = _outcome(fault_outcomes, "09")
    _kept_the_promise(outcome)
    status, lease_until, error = outcome.facts["right_after"]
    assert (status, lease_until) == ("pending", None) and error.startswith("interrupted")


def test_10_a_hung_smtp_server_does_not_hold_up_text_messages_or_timers(fault_outcomes):
    outcome = _outcome(fault_outcomes, "10")
    _kept_the_promise(outcome)
    assert outcome.facts["mail_done_during"] == 0  # the emails were indeed held up
    assert outcome.facts["mail_tries_ended"] == 0  # and the others did not wait behind them


def test_11_a_live_call_whose_callbacks_are_all_lost_is_still_filed(fault_outcomes):
    outcome = _outcome(fault_outcomes, "11")
    _kept_the_promise(outcome)
    assert outcome.facts["rang"] and outcome.facts["status"] == 200
    assert outcome.facts["entry"] == ("+33612345678", True)
