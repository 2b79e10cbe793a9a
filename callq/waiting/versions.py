"""Support status of the client's product version (R9): the series is the major component.

"2026.2.1", "v2026.2" and "Version 2026" are all series 2026. The series policy lists the
supported series and those supported on quote; any other series is out of support, except one
newer than every listed series (a pre-release handed out by the vendor), which is supported.
By default (CALLQ_CURRENT_SERIES) the current series is supported and the one before it on
quote; an administrator may store another policy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from callq.i18n import N_, Problem
from callq.status import VersionStatus

_VERSION = re.compile(r"(?:version\s*)?v?\s*(\d+)(?:\.\d+)*(?:[-+ ][0-9a-z.+-]*)?")


@dataclass(frozen=True)
class SeriesPolicy:
    """Which product series are supported, and which on quote (R9)."""

    supported: frozenset[int]
    on_quote: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if not self.supported:
            raise Problem(N_("at least one series must be supported"))
        both = self.supported & self.on_quote
        if both:
            raise Problem(N_("series both supported and on quote: %(series)s"),
                          series=", ".join(map(str, sorted(both))))

    @classmethod
    def current(cls, current_series: str) -> SeriesPolicy:
        """The default policy: the current series supported, the previous one on quote."""
        current = series_of(current_series)
        if current is None:
            # A bad setting must be seen, not shown to every caller as "version inconnue".
            raise ValueError(f"current series is not a version: {current_series!r}")
        return cls(frozenset({current}), frozenset({current - 1}))

    def status(self, series: int) -> VersionStatus:
        """The support status of one series."""
        if series in self.supported or series > max(self.supported | self.on_quote):
            return VersionStatus.SUPPORTED
        if series in self.on_quote:
            return VersionStatus.ON_QUOTE
        return VersionStatus.END_OF_SUPPORT


def parse_series(text: str) -> frozenset[int]:
    """Series written "2026, 2025" (commas or spaces); ValueError names the unreadable one."""
    found = set()
    for part in re.split(r"[,;\s]+", text.strip()):
        if part:
            if not part.isdigit() or len(part) > 6:
                raise Problem(N_("not a series number: %(value)s"), value=repr(part))
            found.add(int(part))
    return frozenset(found)


def shown_series(series: Iterable[int]) -> str:
    """Series as an administrator writes them: "2026, 2025"."""
    return ", ".join(str(n) for n in sorted(series, reverse=True))


def version_status(version: str | None, policy: SeriesPolicy | str) -> VersionStatus:
    """SUPPORTED, ON_QUOTE or END_OF_SUPPORT under the policy (or the current series given as
    text); UNKNOWN if the version is unreadable."""
    if isinstance(policy, str):
        policy = SeriesPolicy.current(policy)
    series = series_of(version)
    if series is None:
        return VersionStatus.UNKNOWN
    return policy.status(series)


def series_of(version: str | None) -> int | None:
    """The major component of a version as a number ("v12.3" -> 12), or None if unreadable."""
    match = _VERSION.fullmatch((version or "").strip().casefold())
    return int(match.group(1)) if match else None
