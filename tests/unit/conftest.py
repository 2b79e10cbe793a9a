"""The unit tests' slow fixture: `callq train-needs` on the shipped corpus, the longest step of
the suite (some 90 s), run in a process of its own from the moment the tests are collected, so
that it overlaps the tests before it on a second core instead of holding the suite up."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

MODULES = {"--out": "weights.py", "--critical-out": "critical.py", "--vectors-out": "vectors.py"}


@dataclass
class Retraining:
    """`callq train-needs` running apart, writing its modules to `folder`."""

    process: subprocess.Popen[str]
    folder: Path

    @classmethod
    def start(cls) -> Retraining:
        folder = Path(tempfile.mkdtemp(prefix="callq-train-needs-"))
        options = [part for option, name in MODULES.items() for part in (option,
                                                                           str(folder / name))]
        process = subprocess.Popen([sys.executable, "-m", "callq.cli", "train-needs", *options],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return cls(process, folder)

    def result(self) -> tuple[int, str, dict[str, object]]:
        """The exit code, what it printed, and the names the modules it wrote define."""
        output, _ = self.process.communicate()
        namespace: dict[str, object] = {}
        if self.process.returncode == 0:
            for name in MODULES.values():
                module = self.folder / name
                exec(compile(module.read_text(encoding="utf-8"), str(module), "exec"), namespace)
        return self.process.returncode, output, namespace

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
        shutil.rmtree(self.folder, ignore_errors=True)


RETRAINING = pytest.StashKey[Retraining]()


def pytest_collection_finish(session: pytest.Session) -> None:
    if any("trained" in getattr(item, "fixturenames", ()) for item in session.items):
        session.config.stash[RETRAINING] = Retraining.start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    retraining = session.config.stash.get(RETRAINING, None)
    if retraining is not None:
        retraining.stop()


@pytest.fixture(scope="session")
def trained(request: pytest.FixtureRequest) -> tuple[str, dict[str, object]]:
    """`callq train-needs` run once on the shipped corpus (started when the tests were
    collected): what it printed, and the modules it wrote, read back."""
    if RETRAINING not in request.config.stash:  # not seen at collection: start it now
        request.config.stash[RETRAINING] = Retraining.start()
    code, output, namespace = request.config.stash[RETRAINING].result()
    assert code == 0, output
    return output, namespace
