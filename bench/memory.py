"""Memory: the resident size of one gunicorn worker (-w 1) once it has listed 100,000 open
entries through the API, against the same worker fresh (started, logged in, one page served).

The entries are listed as the biggest page the API gives (200), repeatedly, over the first ten
pages: paging to the end with `offset` would cost minutes (see the last-page row of the
waiting-room suite), and memory only needs the rows to pass through the worker.
"""

from __future__ import annotations

from bench.report import Row, ceiling_row
from bench.server import Served, rss_kib
from bench.waiting_room import room
from bench.web import API_HEADERS

PAGE = 200  # callq.api.MAX_LIMIT
ENTRIES = 100_000


def run(quick: bool) -> list[Row]:
    """RSS of the worker fresh, then after 100,000 entries (20,000 if quick) were listed."""
    listed = 20_000 if quick else ENTRIES
    with room(ENTRIES, workers=1) as (served_room, master):
        [worker] = Served(served_room.base, master).worker_pids()
        fresh = rss_kib(worker)
        seen = 0
        for page in range(listed // PAGE):
            url = f"{served_room.base}/api/waiting-room?limit={PAGE}&offset={page % 10 * PAGE}"
            answer = served_room.api.get(url, headers=API_HEADERS, timeout=60)
            answer.raise_for_status()
            seen += len(answer.json()["entries"])
        after = rss_kib(worker)
    if seen != listed:
        raise RuntimeError(f"listed {seen} entries of {listed}")
    return [ceiling_row(f"web worker RSS after listing {listed:,} of {ENTRIES:,} entries "
                        "(vs fresh)", after / 1024, fresh / 1024, "MiB", 1.5)]
