"""Rows of figures: one table printed, one JSON file written."""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Row:
    """One figure: its value, the baseline measured in the same run, the ratio and the target."""

    name: str
    value: float
    unit: str
    baseline: float | None
    ratio: float | None
    target: str
    met: bool | None


def ratio_row(name: str, value: float, baseline: float, unit: str, minimum: float) -> Row:
    """A figure that must reach `minimum` times its baseline (higher is better)."""
    ratio = value / baseline if baseline else None
    return Row(name, value, unit, baseline, ratio, f">= {minimum:g}x baseline",
               None if ratio is None else ratio >= minimum)


def ceiling_row(name: str, value: float, baseline: float, unit: str, maximum: float) -> Row:
    """A figure that must stay within `maximum` times its baseline (lower is better)."""
    ratio = value / baseline if baseline else None
    return Row(name, value, unit, baseline, ratio, f"<= {maximum:g}x baseline",
               None if ratio is None else ratio <= maximum)


def limit_row(name: str, value: float, unit: str, maximum: float | None,
              minimum: float | None = None) -> Row:
    """A figure with an absolute bound (or none: reported only)."""
    if maximum is not None:
        return Row(name, value, unit, None, None, f"<= {maximum:g} {unit}", value <= maximum)
    if minimum is not None:
        return Row(name, value, unit, None, None, f">= {minimum:g} {unit}", value >= minimum)
    return Row(name, value, unit, None, None, "reported", None)


def median_of(runs: int, measure: Callable[[], float]) -> float:
    """The median of several runs of one measurement (these machines are noisy)."""
    return statistics.median(measure() for _ in range(runs))


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which `fraction` of the values fall (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def print_table(rows: Sequence[Row]) -> str:
    """The table as text (also what the README shows)."""
    lines = ["| figure | value | baseline | ratio | target | met |", "|---|---|---|---|---|---|"]
    for row in rows:
        baseline = "" if row.baseline is None else f"{row.baseline:,.2f}"
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
        met = {True: "yes", False: "**no**", None: ""}[row.met]
        lines.append(f"| {row.name} | {row.value:,.2f} {row.unit} | {baseline} | {ratio} | "
                     f"{row.target} | {met} |")
    return "\n".join(lines)


def write_json(rows: Sequence[Row], path: Path = RESULTS / "latest.json") -> Path:
    """Write the rows where `make bench` promises them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(r) for r in rows], indent=2, ensure_ascii=False) + "\n")
    return path
