"""Run the benchmarks: `python -m bench [--only NAME ...] [--quick]`."""

from __future__ import annotations

import argparse
import importlib
import sys
import time

from bench.report import Row, print_table, write_json

# Each module exposes `run(quick: bool) -> list[Row]`.
SUITES = (
    "bench.slots",
    "bench.scheduled",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("--only", nargs="*", default=None,
                        help="run only these suites (e.g. slots webhooks)")
    parser.add_argument("--quick", action="store_true",
                        help="shorter runs (for trying things out; figures are noisier)")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    for name in SUITES:
        short = name.removeprefix("bench.")
        if args.only and short not in args.only:
            continue
        started = time.monotonic()
        print(f"== {short} ...", file=sys.stderr, flush=True)
        rows.extend(importlib.import_module(name).run(args.quick))
        print(f"== {short} done in {time.monotonic() - started:.0f} s", file=sys.stderr)
    print(print_table(rows))
    print(f"\nwritten to {write_json(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
