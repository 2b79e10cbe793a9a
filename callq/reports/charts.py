"""Charts of the reports page, drawn on the server as SVG with leather (no script, no style
attribute: the page's Content-Security-Policy forbids both)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date
from typing import Any

import leather

from callq import formats

SVG = "http://www.w3.org/2000/svg"
COLORS = ("#1f5fbf", "#c25e00", "#2d6a3e", "#6b3fa0")  # the pages' palette, not colour alone
ET.register_namespace("", SVG)


def lines(series: Sequence[tuple[str, Sequence[tuple[date, float]]]], *, label: str,
          lang: str, width: int = 760, height: int = 280) -> str:
    """A line per named series of (day, value) points."""
    chart = leather.Chart()
    chart.add_x_axis(tick_formatter=lambda day, _i, _n: formats.short_day(day, lang))
    chart.add_y_axis(tick_formatter=lambda value, _i, _n: formats.number(value, lang))
    for (name, points), color in zip(series, COLORS, strict=False):
        chart.add_line(list(points), name=name, stroke_color=color, width=2)
    return _finished(chart, label, width, height)


def bars(values: Sequence[tuple[str, float]], *, label: str, lang: str, width: int = 760,
         height: int = 260) -> str:
    """One horizontal bar per (name, value)."""
    chart = leather.Chart()
    chart.add_x_axis(tick_formatter=lambda value, _i, _n: formats.number(value, lang))
    chart.add_bars([(value, name) for name, value in values], fill_color=COLORS[0])
    return _finished(chart, label, width, height)


def _finished(chart: Any, label: str, width: int, height: int) -> str:
    """The SVG, scalable (a viewBox), named for assistive technology."""
    root = ET.fromstring(chart.to_svg(width=width, height=height))
    root.set("viewBox", f"0 0 {width} {height}")
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("class", "chart")
    root.attrib.pop("width", None)
    root.attrib.pop("height", None)
    title = ET.Element(f"{{{SVG}}}title")
    title.text = label
    root.insert(0, title)
    return ET.tostring(root, encoding="unicode")
