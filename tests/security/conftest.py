"""Fixtures of the security tests: one attacked world per backend, shared by the fuzz suite's
tests (building it once keeps the run fast), and the run's closing figures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.conftest import truncate
from tests.security.fuzz import TALLY
from tests.security.world import World, build_world, remove_counter

# The fuzz suite's seed: the same seed replays the same requests in the same order.
SEED = int(os.environ.get("CALLQ_FUZZ_SEED", "20261123"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_world(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The world of one backend, built once for the whole fuzz module."""
    folder = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    if request.param == "sqlite":
        from callq.db import build_engine

        engine: Engine = build_engine(f"sqlite:///{folder / 'fuzz.sqlite3'}")
    else:
        engine = request.getfixturevalue("pg_engine")
        truncate(engine)
    world = build_world(request.param, engine, folder)
    yield world
    world.close()
    if request.param == "sqlite":
        engine.dispose()
    else:
        remove_counter(engine)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The figures of the closing note: requests generated, 5xx, changes on refused input."""
    if not TALLY.requests:
        return
    total = sum(TALLY.requests.values())
    per_backend = ", ".join(f"{b} {n}" for b, n in sorted(TALLY.requests.items()))
    terminalreporter.write_line(
        f"security fuzz: {total} requests generated ({per_backend}) over "
        f"{len(TALLY.routes)} routes; 5xx answers: {len(TALLY.server_errors)}; state changes "
        f"on refused input: {len(TALLY.changed_on_refusal)}; seed {SEED} "
        f"(CALLQ_FUZZ_SEED={SEED} replays it)")
