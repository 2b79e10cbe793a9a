"""Secrets of an embedded instance (callq.bootstrap.instance_secret): made once, kept, and
agreed on by processes that start together on a fresh instance (gunicorn's workers)."""

from __future__ import annotations

import multiprocessing
import secrets
import stat

import pytest

from callq.bootstrap import instance_secret


def test_a_secret_is_made_once_kept_private_and_read_again(tmp_path):
    first = instance_secret(tmp_path / "instance", "secret_key")
    assert len(first) >= 32
    assert instance_secret(tmp_path / "instance", "secret_key") == first
    path = tmp_path / "instance" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in (tmp_path / "instance").iterdir()) == ["secret_key"]


def test_a_process_that_loses_the_race_reads_the_winner_s_secret(tmp_path, monkeypatch):
    # The rival writes its secret between this process's look and its own write, as a second
    # gunicorn worker booting at the same instant did (it used to die: "File exists").
    folder = tmp_path / "instance"
    made = secrets.token_urlsafe

    def rival_first(nbytes):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "secret_key").write_text("the-rival-s-secret")
        return made(nbytes)

    monkeypatch.setattr(secrets, "token_urlsafe", rival_first)
    assert instance_secret(folder, "secret_key") == "the-rival-s-secret"
    assert sorted(p.name for p in folder.iterdir()) == ["secret_key"]


def _boot(folder, start, results):
    start.wait()
    results.put(instance_secret(folder, "secret_key"))


@pytest.mark.parametrize("round_", range(5))
def test_processes_booting_together_on_a_fresh_instance_agree_on_one_secret(tmp_path, round_):
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(8), context.Queue()
    folder = tmp_path / f"instance-{round_}"
    workers = [context.Process(target=_boot, args=(folder, start, results)) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert [worker.exitcode for worker in workers] == [0] * 8
    seen = {results.get(timeout=5) for _ in workers}
    assert len(seen) == 1 and len(seen.pop()) >= 32
