"""The words of the reports page: tables, columns, groups (pure; N_ marks them for gettext)."""

from __future__ import annotations

from callq.i18n import N_, gettext
from callq.status import Tier
from callq.waiting.labels import clock_label, tier_label
from callq.waiting.service_levels import ClockName

TABLES = {
    "volume": N_("Messages and entries"),
    "service": N_("Service levels"),
    "outcomes": N_("Outcomes of the calls"),
    "appointments": N_("Appointments"),
    "daily": N_("Day by day"),
}

COLUMNS = {
    "messages": N_("Messages received"),
    "entries_opened": N_("Entries opened"),
    "merged": N_("Merged"),
    "vague": N_("Without a stated need"),
    "entries": N_("Entries"),
    "first_callback_median_h": N_("First callback, median (business hours)"),
    "first_callback_p90_h": N_("First callback, 90th percentile (business hours)"),
    "first_callback_within_pct": N_("First callback within its level (percent)"),
    "qualification_within_pct": N_("Qualification within its level (percent)"),
    "resolution_median_h": N_("Resolution, median (business hours)"),
    "resolution_p90_h": N_("Resolution, 90th percentile (business hours)"),
    "resolution_within_pct": N_("Resolution within its level (percent)"),
    "attempts_per_entry": N_("Callback attempts per entry"),
    "solved": N_("Solved"),
    "documentation": N_("Sent to the documentation"),
    "out_of_scope": N_("Out of scope"),
    "booked": N_("Appointment"),
    "no_answer": N_("No answer"),
    "expired": N_("Expired"),
    "cancelled_by_client": N_("Cancelled by the client"),
    "appointments_booked": N_("Booked"),
    "moved": N_("Moved"),
    "no_shows": N_("Client not there"),
    "extended": N_("Extended"),
    "second_appointments": N_("Second appointments"),
    "day": N_("Day"),
    "open_at_day_end": N_("Open entries at the end of the day"),
}


def table_title(name: str, lang: str) -> str:
    """A table's title."""
    return gettext(TABLES[name], lang)


def column_label(key: str, lang: str) -> str:
    """A column's header."""
    return gettext(COLUMNS.get(key, key), lang)


def group_label(by: str, group: str, lang: str) -> str:
    """A row's group: all entries, a tier, or an agent's name."""
    if by == "all":
        return gettext(N_("All"), lang)
    if by == "tier" and group in set(Tier):
        return tier_label(Tier(group), lang)
    return group


def clock_name(name: ClockName, lang: str) -> str:
    """A service level's name."""
    return clock_label(name, lang)
