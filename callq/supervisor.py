"""`callq serve`'s supervisor: keeps each child process running, restarting one that died after
a growing delay (1, 2, 4 ... 30 s; back to 1 s once it has run for a minute), and stops them all
(the embedded Redis last) on SIGTERM or Ctrl-C. One child dying never stops the service."""

from __future__ import annotations

import logging
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

log = logging.getLogger("callq.serve")

FIRST_DELAY = 1.0
MAX_DELAY = 30.0
STEADY_SECONDS = 60.0  # a child that ran this long before dying is restarted at once (1 s)
STOP_SECONDS = 10.0


def restart_delay(quick_deaths: int) -> float:
    """Seconds to wait before restarting a child that died `quick_deaths` times in a row,
    each within a minute of its start."""
    return min(FIRST_DELAY * 2 ** max(quick_deaths - 1, 0), MAX_DELAY)


@dataclass
class Child:
    """One supervised process: how to start it, and its restart state."""

    name: str
    launch: Callable[[], subprocess.Popen[bytes] | None]
    infrastructure: bool = False  # stopped after the others (the embedded Redis)
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    quick_deaths: int = 0
    restart_at: float | None = None

    def start(self) -> None:
        """Start (or restart) the process."""
        self.process, self.started_at, self.restart_at = self.launch(), time.monotonic(), None

    def check(self, now: float) -> None:
        """Restart the process when it died and its delay has passed."""
        if self.process is None:
            return  # not ours to watch (an embedded Redis another process started)
        code = self.process.poll()
        if code is None:
            return
        if self.restart_at is None:
            lived = now - self.started_at
            self.quick_deaths = self.quick_deaths + 1 if lived < STEADY_SECONDS else 1
            self.restart_at = now + restart_delay(self.quick_deaths)
            log.error("%s (pid %s) exited with code %s after %.0f s; restarting it in %.0f s",
                      self.name, self.process.pid, code, lived, self.restart_at - now)
        elif now >= self.restart_at:
            self.start()
            log.warning("%s restarted (pid %s)", self.name,
                        self.process.pid if self.process else "?")

    def stop(self) -> None:
        """Ask the process to stop (SIGTERM)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self) -> None:
        """Wait for the process to end; kill it when it takes too long."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def supervise(children: Sequence[Child], stopped: Callable[[], bool], poll: float = 0.5) -> None:
    """Start the children, keep them running until `stopped()`, then stop them all."""
    try:
        for child in children:
            child.start()
        while not stopped():
            now = time.monotonic()
            for child in children:
                child.check(now)
            time.sleep(poll)
    except KeyboardInterrupt:
        pass
    finally:
        for group in ([c for c in children if not c.infrastructure],
                      [c for c in children if c.infrastructure]):
            for child in group:
                child.stop()
            for child in group:
                child.wait()
