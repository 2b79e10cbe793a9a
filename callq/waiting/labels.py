"""The names agents read for a tier and a version status, in every language (pure)."""

from __future__ import annotations

from callq.i18n import N_, gettext
from callq.status import Tier, VersionStatus

TIERS = {
    Tier.CRITICAL: N_("Critical urgency"),
    Tier.HIGH: N_("High urgency"),
    Tier.MEDIUM: N_("Medium urgency"),
    Tier.LOW: N_("Low urgency"),
}

VERSIONS = {
    VersionStatus.SUPPORTED: N_("Supported version"),
    VersionStatus.ON_QUOTE: N_("Support on quote"),
    VersionStatus.END_OF_SUPPORT: N_("End of support"),
    VersionStatus.UNKNOWN: N_("Unknown version"),
}


def tier_label(tier: Tier, lang: str) -> str:
    """"Urgence critique", "Critical urgency", "Kritische Dringlichkeit"."""
    return gettext(TIERS[tier], lang)


def version_label(status: VersionStatus, lang: str) -> str:
    """"Version supportée", "Support on quote", "Ende des Supports"..."""
    return gettext(VERSIONS[status], lang)
