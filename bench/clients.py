"""Importing clients from CSV (issue 12): 10,000 rows with one or two numbers each, on SQLite
and on PostgreSQL, through `callq.admin.client_import` as `callq clients import` runs it.

Three figures per backend: the first import (10,000 created), the same file again (10,000
unchanged: what an idempotent re-import costs), and a dry run of it. Target: well under a
minute; the issue asks for under 60 s.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.instance import Unavailable, instance
from bench.report import Row, limit_row
from callq.admin import client_import

ROWS = 10_000
TARGET_SECONDS = 60.0


def csv_text(rows: int = ROWS) -> str:
    """A realistic file: French and Swiss numbers, some clients with two, every language."""
    lines = ["name,email,phones,language,product_version"]
    for n in range(rows):
        phones = f"+331{n:08d}" + (f";+4131{n:07d}" if n % 3 == 0 else "")
        language = ("fr", "de", "en")[n % 3]
        lines.append(f"Client {n:05d},client{n}@example.test,{phones},{language},"
                     f"{2024 + n % 3}.{n % 5}")
    return "\n".join(lines) + "\n"


def run(quick: bool) -> list[Row]:
    """Time the three imports on each backend."""
    rows = ROWS // 5 if quick else ROWS
    text = csv_text(rows)
    found: list[Row] = []
    for backend in ("sqlite", "postgresql"):
        try:
            found += _timed(backend, text, rows)
        except Unavailable as exc:
            found.append(Row(f"client import ({backend}): not measured, {exc}", 0, "s", None,
                             None, f"<= {TARGET_SECONDS:g} s", None))
    return found


def _timed(backend: str, text: str, rows: int) -> list[Row]:
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[backend]
    with instance(backend, tag="clients") as inst:
        runtime = inst.runtime
        first = _seconds(lambda: client_import.import_clients(runtime, text, actor="bench"))
        again = _seconds(lambda: client_import.import_clients(runtime, text, actor="bench"))
        dry = _seconds(lambda: client_import.import_clients(runtime, text, actor="bench",
                                                            dry_run=True))
    label = f"{rows:,} rows"
    return [
        limit_row(f"client CSV import, {label}, all new ({name})", first, "s", TARGET_SECONDS),
        limit_row(f"client CSV import again, {label} unchanged ({name})", again, "s",
                  TARGET_SECONDS),
        limit_row(f"client CSV import, dry run of {label} ({name})", dry, "s", None),
    ]


def _seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started
