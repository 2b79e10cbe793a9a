"""A real gunicorn on a loopback port, for load tests (stopped when the block ends)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Served:
    """A running gunicorn: its base URL and its master's process id."""

    base: str
    pid: int

    def worker_pids(self) -> list[int]:
        """The worker processes (children of the master)."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []


def rss_kib(pid: int) -> int:
    """Resident set size of a process, from /proc/<pid>/status (VmRSS, KiB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise LookupError(f"no VmRSS for process {pid}")


@contextmanager
def serve(app: str, env: dict[str, str], workers: int = 2, port: int | None = None,
          ready_path: str = "/healthz") -> Iterator[Served]:
    """Serve `module:app` with sync workers on `port` (a free one if None)."""
    port = port or free_port()
    # The log goes to a file: a pipe nobody reads would block the server once it is full.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
             "--log-level", "warning", app],
            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(base + ready_path, process, log)
            yield Served(base, process.pid)
        finally:
            process.terminate()
            process.wait(timeout=15)


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int = 2, port: int | None = None,
             ready_path: str = "/healthz") -> Iterator[str]:
    """Serve `module:app` with sync workers; yield the base URL."""
    with serve(app, env, workers, port, ready_path) as served:
        yield served.base


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: IO[bytes],
                timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            tail = log.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"gunicorn exited: {tail}")
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 (loopback only)
            return
        except urllib.error.HTTPError:
            return  # it answers (503 while no worker runs is fine for readiness)
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")
