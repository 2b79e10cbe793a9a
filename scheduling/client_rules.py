"""The clients' rules of the planner (pure): how late an appointment may still be moved or
cancelled online (the minimum notice, a setting), and until when a link to it serves."""

from __future__ import annotations

from datetime import datetime, timedelta


def too_late_to_change(starts_at: datetime, now: datetime, notice_minutes: int) -> bool:
    """Inside the minimum notice the client calls instead of moving or cancelling online."""
    return starts_at - now < timedelta(minutes=notice_minutes)


def notice_hours(notice_minutes: int) -> int:
    """The notice as whole hours for the page ("less than 2 hours away"), at least 1."""
    return max(1, -(-notice_minutes // 60))
