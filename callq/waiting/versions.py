"""Support status of the client's product version (R9): the series is the major component.

"2026.2.1", "v2026.2" and "Version 2026" are all series 2026. The current series is supported,
the one before it is supported on quote, anything older is out of support. A version newer than
the current series (a pre-release handed out by the vendor) counts as supported.
"""

from __future__ import annotations

import re

from callq.status import VersionStatus

_VERSION = re.compile(r"(?:version\s*)?v?\s*(\d+)(?:\.\d+)*(?:[-+ ][0-9a-z.+-]*)?")


def version_status(version: str | None, current_series: str) -> VersionStatus:
    """SUPPORTED, ON_QUOTE or END_OF_SUPPORT against the current series; UNKNOWN if unreadable."""
    current = series_of(current_series)
    if current is None:
        # A bad setting must be seen, not shown to every caller as "version inconnue".
        raise ValueError(f"current series is not a version: {current_series!r}")
    series = series_of(version)
    if series is None:
        return VersionStatus.UNKNOWN
    if series >= current:
        return VersionStatus.SUPPORTED
    if series == current - 1:
        return VersionStatus.ON_QUOTE
    return VersionStatus.END_OF_SUPPORT


def series_of(version: str | None) -> int | None:
    """The major component of a version as a number ("v12.3" -> 12), or None if unreadable."""
    match = _VERSION.fullmatch((version or "").strip().casefold())
    return int(match.group(1)) if match else None
