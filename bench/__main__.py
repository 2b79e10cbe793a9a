"""Run the benchmarks: `python -m bench [--only NAME ...] [--quick]`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import threading
import time
import traceback

from bench.report import RESULTS, Row, limit_row, print_table, write_json

# Each module exposes `run(quick: bool) -> list[Row]`.
SUITES = (
    "bench.webhooks",
    "bench.waiting_room",
    "bench.memory",
    "bench.claims",
    "bench.booking",
    "bench.slots",
    "bench.dbsize",
    "bench.scheduled",
    "bench.needs",
    "bench.reports",
    "bench.clients",
)


class LoadWatch:
    """The machine's 1-minute load average, sampled while the suites run: on a shared machine
    it says how far to trust the absolute figures (the ratios are measured side by side)."""

    def __init__(self, every: float = 5.0) -> None:
        self.samples = [os.getloadavg()[0]]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, args=(every,), daemon=True)
        self._thread.start()

    def _watch(self, every: float) -> None:
        while not self._stop.wait(every):
            self.samples.append(os.getloadavg()[0])

    def rows(self) -> list[Row]:
        """Stop sampling; the load at the start and the highest seen."""
        self._stop.set()
        return [limit_row("machine load average (1 min) at the start", self.samples[0], "",
                          None),
                limit_row("machine load average (1 min), highest during the run",
                          max(self.samples), "", None)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("--only", nargs="*", default=None,
                        help="run only these suites (e.g. slots webhooks)")
    parser.add_argument("--quick", action="store_true",
                        help="shorter runs (for trying things out; figures are noisier)")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    load = LoadWatch()
    for name in SUITES:
        short = name.removeprefix("bench.")
        if args.only and short not in args.only:
            continue
        started = time.monotonic()
        print(f"== {short} ...", file=sys.stderr, flush=True)
        try:
            rows.extend(importlib.import_module(name).run(args.quick))
        except Exception as exc:  # one broken suite must not hide the others' figures
            traceback.print_exc()
            rows.append(Row(f"{short}: FAILED, {type(exc).__name__}: {str(exc)[:150]}", 0, "",
                            None, None, "", None))
        print(f"== {short} done in {time.monotonic() - started:.0f} s", file=sys.stderr)
    rows += load.rows()
    print(print_table(rows))
    # A partial run must not replace the full run's figures the README quotes.
    path = write_json(rows, RESULTS / "partial.json.tmp") if args.only else write_json(rows)
    print(f"\nwritten to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
