"""R9: the client's product version decides support: current, previous (quote), older."""

from __future__ import annotations

import pytest

from callq.status import VersionStatus
from callq.waiting.labels import version_label
from callq.waiting.versions import series_of, version_status


@pytest.mark.parametrize(
    ("version", "status"),
    [
        ("2026.2.1", VersionStatus.SUPPORTED),
        ("v2026.2", VersionStatus.SUPPORTED),
        ("Version 2026", VersionStatus.SUPPORTED),
        ("2026.2.1-beta1", VersionStatus.SUPPORTED),
        ("2027.1", VersionStatus.SUPPORTED),  # a pre-release ahead of the current series
        ("2025.4.3", VersionStatus.ON_QUOTE),
        ("V2025", VersionStatus.ON_QUOTE),
        ("2024.1", VersionStatus.END_OF_SUPPORT),
        ("12.3.4", VersionStatus.END_OF_SUPPORT),
        (None, VersionStatus.UNKNOWN),
        ("", VersionStatus.UNKNOWN),
        ("la dernière", VersionStatus.UNKNOWN),
        ("2026.", VersionStatus.UNKNOWN),
    ],
)
def test_r09_current_series_supported_previous_on_quote_older_end_of_support(
    version: str | None, status: VersionStatus
) -> None:
    assert version_status(version, "2026") is status


@pytest.mark.parametrize(
    ("version", "status"),
    [("v12.3", VersionStatus.SUPPORTED), ("11.9.9", VersionStatus.ON_QUOTE),
     ("9.1", VersionStatus.END_OF_SUPPORT), ("10.0", VersionStatus.END_OF_SUPPORT)],
)
def test_r09_series_compare_as_numbers_not_text(version: str, status: VersionStatus) -> None:
    # As text "9" > "12" and "10" < "11" would both be wrong.
    assert version_status(version, "v12") is status


def test_r09_series_is_the_major_component() -> None:
    assert [series_of(v) for v in ("2026.2.1", "v12.3", "V 7", "x1")] == [2026, 12, 7, None]


def test_r09_unreadable_current_series_is_a_setting_error() -> None:
    with pytest.raises(ValueError, match="current series"):
        version_status("2026.1", "latest")


@pytest.mark.parametrize(
    ("status", "fr", "en", "de"),
    [
        (VersionStatus.SUPPORTED, "Version supportée", "Supported version",
         "Unterstützte Version"),
        (VersionStatus.ON_QUOTE, "Sur devis", "Support on quote", "Support auf Offerte"),
        (VersionStatus.END_OF_SUPPORT, "Fin de support", "End of support", "Support beendet"),
        (VersionStatus.UNKNOWN, "Version inconnue", "Unknown version", "Unbekannte Version"),
    ],
)
def test_r09_status_is_shown_in_french_english_and_german(
    status: VersionStatus, fr: str, en: str, de: str
) -> None:
    assert version_label(status, "fr") == fr
    assert version_label(status, "en") == en
    assert version_label(status, "de") == de
