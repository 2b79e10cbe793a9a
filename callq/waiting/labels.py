"""The names agents read for a tier and a version status, in every language (pure)."""

from __future__ import annotations

from callq.i18n import N_, gettext
from callq.status import Tier, VersionStatus
from callq.waiting.service_levels import ClockName, Verdict

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


CLOCKS = {
    ClockName.FIRST_RESPONSE: N_("First callback"),
    ClockName.QUALIFICATION: N_("First qualification"),
    ClockName.RESOLUTION: N_("Resolution"),
}

VERDICTS = {
    Verdict.ON_TIME: N_("On time"),
    Verdict.DUE_SOON: N_("Due soon"),
    Verdict.LATE: N_("Late"),
    Verdict.PAUSED: N_("Paused: waiting for the client"),
    Verdict.MET: N_("Met"),
    Verdict.MISSED: N_("Missed"),
}

# The badge of a clock that needs attention (R11): due soon, or late (running or stopped late).
ALERTS = {
    (ClockName.FIRST_RESPONSE, False): N_("Callback due soon"),
    (ClockName.FIRST_RESPONSE, True): N_("Callback late"),
    (ClockName.QUALIFICATION, False): N_("Qualification due soon"),
    (ClockName.QUALIFICATION, True): N_("Qualification late"),
    (ClockName.RESOLUTION, False): N_("Resolution due soon"),
    (ClockName.RESOLUTION, True): N_("Resolution late"),
}


def clock_label(name: ClockName, lang: str) -> str:
    """"Premier rappel", "First callback", "Erster Rückruf"..."""
    return gettext(CLOCKS[name], lang)


def verdict_label(verdict: Verdict, lang: str) -> str:
    """"À l'heure", "Due soon", "Verspätet"..."""
    return gettext(VERDICTS[verdict], lang)


def alert_label(name: ClockName, verdict: Verdict, lang: str) -> str:
    """The badge of a clock due soon or late: "Rappel en retard", "Resolution due soon"..."""
    return gettext(ALERTS[(name, verdict != Verdict.DUE_SOON)], lang)
