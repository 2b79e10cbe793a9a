"""The client pages' colours keep WCAG AA contrast (4.5:1 for text) on their backgrounds:
read from callq/static/booking.css, so a change of colour is checked (issue 13)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "callq" / "static" / "booking.css").read_text()
VARS = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", CSS))
WHITE = "#ffffff"
# (text, background) pairs the pages draw.
PAIRS = [
    ("ink", WHITE), ("muted", WHITE), ("accent", WHITE), ("accent-ink", "accent"),
    ("bad-ink", "bad-bg"), ("ink", "ok-bg"), ("muted", "tile"), ("ink", "tile"),
    ("ink", "#fff4e5"),
]


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _colour(name: str) -> str:
    return name if name.startswith("#") else VARS[name]


@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_on_its_background_has_at_least_4_5_to_1(text, background):
    lighter, darker = sorted((_luminance(_colour(text)), _luminance(_colour(background))),
                             reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 4.5


def test_focus_is_always_visible():
    assert CSS.count(":focus-visible") >= 3 and "outline: 3px solid" in CSS
