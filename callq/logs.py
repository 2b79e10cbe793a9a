"""Logging of every callq process: plain text, or one JSON object per line (CALLQ_LOG_FORMAT).

What a line is about (the request id, the Twilio CallSid) is kept in context variables for the
time of a request, and every line logged meanwhile carries it, whoever logs it. No framework.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import Any

TEXT = "%(asctime)s %(levelname)s %(name)s %(message)s"
request_id: ContextVar[str | None] = ContextVar("callq_request_id", default=None)
call_sid: ContextVar[str | None] = ContextVar("callq_call_sid", default=None)
_HANDLER = "callq"  # the name of the handler callq installs on the root logger


class ContextFilter(logging.Filter):
    """Adds the request id and CallSid of the current context to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.call_sid = call_sid.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, CallSid."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id.get(),
            "call_sid": getattr(record, "call_sid", None) or call_sid.get(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def formatter(log_format: str) -> logging.Formatter:
    """The formatter of a CALLQ_LOG_FORMAT value (`text` or `json`)."""
    return JsonFormatter() if log_format == "json" else logging.Formatter(TEXT)


def configure(log_format: str, level: int = logging.INFO) -> None:
    """Log to stderr in the given format; calling it again only changes the format."""
    root = logging.getLogger()
    mine = next((h for h in root.handlers if h.get_name() == _HANDLER), None)
    if mine is None:
        if root.handlers:  # someone (a test runner, gunicorn) already handles the root logger
            for handler in root.handlers:
                handler.addFilter(ContextFilter())
            return
        _lean_records()
        mine = logging.StreamHandler()
        mine.set_name(_HANDLER)
        mine.addFilter(ContextFilter())
        root.addHandler(mine)
        root.setLevel(level)
    mine.setFormatter(formatter(log_format))


Bound = tuple[Token[str | None], Token[str | None]]


def bind(*, request: str | None, call: str | None) -> Bound:
    """From now on, every line logged carries this request id and CallSid, until `unbind`."""
    return request_id.set(request), call_sid.set(call)


def unbind(bound: Bound) -> None:
    """Back to the ids before `bind` (they may have been bound again meanwhile)."""
    call_sid.reset(bound[1])
    request_id.reset(bound[0])


def _lean_records() -> None:
    """Records without what callq's formats never print: the caller's file and line (a walk up
    the stack), the thread and the process (the "Optimization" table of Python's Logging HOWTO).
    Only where callq owns the root logger: a test runner's or host's formats may print them."""
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
