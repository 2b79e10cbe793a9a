"""A real SMTP server (aiosmtpd) on loopback whose behaviour a test switches at any moment:
accept, refuse (5xx) or defer (4xx) recipients, answer slowly, take a message and then stay
silent, kill the sending process once a message is taken, or never greet at all.

It counts what it took (by Message-ID), the AUTH attempts it saw, and how many sessions were
open at once: the fault tests assert on these, at the SMTP boundary itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult

ACCEPT, REFUSE, DEFER, SLOW, SILENT, KILL, HANG = (
    "accept", "refuse", "defer", "slow", "silent", "kill", "hang")


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Taken:
    """One message the server accepted (stored), whatever it answered afterwards."""

    message_id: str
    to: list[str]
    at: float  # time.time()
    content: bytes


@dataclass
class Sink:
    """The server, its current behaviour and what it saw."""

    port: int = field(default_factory=free_port)
    mode: str = ACCEPT
    delay: float = 0.0  # SLOW: seconds before each reply; SILENT: seconds of silence
    kill_pid: int | None = None  # KILL: the process to SIGKILL once a message is taken
    refuse: set[str] = field(default_factory=set)  # recipients refused with 550, any mode
    taken: list[Taken] = field(default_factory=list)
    auth_attempts: list[Any] = field(default_factory=list)
    open_sessions: int = 0
    most_open: int = 0
    _controller: Controller | None = None
    _hang: socket.socket | None = None
    _held: list[socket.socket] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- switching ----------------------------------------------------------------------

    def start(self) -> Sink:
        """Serve on the port (never-greeting when the mode is HANG)."""
        if self.mode == HANG:
            self._start_hang()
        else:
            self._start_smtp()
        return self

    def stop(self) -> None:
        """Stop serving, dropping every open connection."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        if self._hang is not None:
            with contextlib.suppress(OSError):  # shutdown wakes the thread in accept()
                self._hang.shutdown(socket.SHUT_RDWR)
            self._hang.close()
            self._hang = None
            for held in self._held:
                held.close()
            self._held.clear()

    def switch(self, mode: str, **changes: Any) -> None:
        """Change behaviour; to or from HANG the listener itself is replaced."""
        was_hang = self.mode == HANG
        self.mode = mode
        for name, value in changes.items():
            setattr(self, name, value)
        if was_hang != (mode == HANG):
            self.stop()
            self.start()

    def _start_smtp(self) -> None:
        self._controller = _Controller(self, _Handler(self), hostname="127.0.0.1",
                                       port=self.port, auth_require_tls=False,
                                       authenticator=self._authenticate, ready_timeout=10)
        self._controller.start()

    def _start_hang(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(50)
        self._hang = listener
        threading.Thread(target=self._hold, args=(listener,), daemon=True).start()

    def _hold(self, listener: socket.socket) -> None:
        while True:
            try:
                connection, _ = listener.accept()  # and never say a word
            except OSError:
                return
            self._held.append(connection)

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> AuthResult:
        self.auth_attempts.append((mechanism, auth_data))
        return AuthResult(success=True)

    # --- what it saw --------------------------------------------------------------------

    def counts(self) -> Counter[str]:
        """How many times each Message-ID was taken."""
        return Counter(t.message_id for t in self.taken)

    def enter(self) -> None:
        with self._lock:
            self.open_sessions += 1
            self.most_open = max(self.most_open, self.open_sessions)

    def leave(self) -> None:
        with self._lock:
            self.open_sessions -= 1


class _Controller(Controller):
    """Serves sessions that tell the sink when a connection opens and closes."""

    def __init__(self, sink: Sink, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sink = sink

    def factory(self) -> SMTP:
        sink = self.sink

        class _Counted(SMTP):
            def connection_made(self, transport: Any) -> None:
                sink.enter()
                super().connection_made(transport)

            def connection_lost(self, error: Exception | None) -> None:
                sink.leave()
                super().connection_lost(error)

        return _Counted(self.handler, **self.SMTP_kwargs)


class _Handler:
    """aiosmtpd hooks, each reading the sink's behaviour of the moment."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    async def _pause(self) -> None:
        if self.sink.mode == SLOW:
            await asyncio.sleep(self.sink.delay)

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,  # noqa: N802
                          responses: list[str]) -> list[str]:
        await self._pause()
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          options: list[str]) -> str:
        await self._pause()
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          options: list[str]) -> str:
        await self._pause()
        if address in self.sink.refuse or self.sink.mode == REFUSE:
            return "550 5.1.1 No such user here"
        if self.sink.mode == DEFER:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        await self._pause()
        content = envelope.original_content or envelope.content
        parsed = BytesParser(policy=policy.default).parsebytes(content)
        self.sink.taken.append(Taken(str(parsed["Message-ID"]), list(envelope.rcpt_tos),
                                     time.time(), content))
        if self.sink.mode == KILL and self.sink.kill_pid:
            os.kill(self.sink.kill_pid, signal.SIGKILL)  # taken, and its sender dies unanswered
            self.sink.kill_pid = None
            await asyncio.sleep(1)
        if self.sink.mode == SILENT:
            await asyncio.sleep(self.sink.delay)
        return "250 2.0.0 Message accepted for delivery"
