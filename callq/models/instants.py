"""Many instants read at once as ISO text (scheduling.agenda's busy time), each distinct text
parsed once.

Through `UTCDateTime` every value costs Python calls (SQLite: a regex parse, then the zone;
PostgreSQL: psycopg's conversion to the session's zone, then ours back to UTC). A slot search
reads 4,000 of them, most on the slot grid and so repeated. Here the database hands back text
(SQLite stores naive UTC text; PostgreSQL writes a timestamptz as ISO text with the session's
offset, the text it sends anyway, and psycopg already needs DateStyle ISO to read one) and
`datetime.fromisoformat` parses each distinct text once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime


def parse_instants(texts: Iterable[str]) -> dict[str, datetime]:
    """Each distinct text as the tz-aware UTC instant `UTCDateTime` would have given."""
    return {text: _instant(text) for text in set(texts)}


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
