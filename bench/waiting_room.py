"""The waiting room at scale: the first page of 50 with 100,000 open entries, against the same
page with 100 entries. Two instances (SQLite, as shipped), each behind its own gunicorn
(2 sync workers); requests alternate between them, and each figure is the median of many.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import requests

from bench import seed
from bench.instance import instance
from bench.report import Row, ceiling_row, limit_row
from bench.server import free_port, serve
from bench.web import API_HEADERS, alternate, fetch, logged_in
from callq import waiting_room

API = "/api/waiting-room?limit=50"
LAST = "/api/waiting-room?limit=50&offset=99950"
PAGE = "/agents/"


@dataclass
class Room:
    """A served instance with `size` open entries and a logged-in agent."""

    size: int
    base: str
    agent: requests.Session
    api: requests.Session

    def api_ms(self) -> float:
        return fetch(self.api, self.base + API, API_HEADERS)

    def last_ms(self) -> float:
        return fetch(self.api, self.base + LAST, API_HEADERS)

    def page_ms(self) -> float:
        return fetch(self.agent, self.base + PAGE)


@contextmanager
def room(size: int, workers: int = 2) -> Iterator[tuple[Room, int]]:
    """An instance with `size` open entries (a mix of tiers, vague ones, 200 clients), served;
    yields the room and the server's master pid."""
    port = free_port()
    with instance("sqlite", public_base=f"http://127.0.0.1:{port}") as inst:
        seed.agents(inst.runtime, 3)
        seed.clients(inst.runtime, 200)
        seed.entries(inst.runtime, size, inst.runtime.now(), client_ids=range(1, 201))
        with serve("wsgi:app", inst.env, workers=workers, port=port) as served:
            agent = logged_in(served.base, "agent0@desk.bench")
            api = requests.Session()
            total = api.get(served.base + API, headers=API_HEADERS, timeout=60).json()["total"]
            # The API may count only up to a cap ("at least that many").
            if total != min(size, getattr(waiting_room, "COUNT_CAP", size)):
                raise RuntimeError(f"the API lists {total} entries, {size} were written")
            yield Room(size, served.base, agent, api), served.pid


def run(quick: bool) -> list[Row]:
    """Median request time of the API page and the agents' page, 100,000 vs 100 entries."""
    count = 20 if quick else 40
    with ExitStack() as stack:
        small, _ = stack.enter_context(room(100))
        big, _ = stack.enter_context(room(100_000))
        alternate(3, small.api_ms, big.api_ms, small.page_ms, big.page_ms)  # warm up
        api_small, api_big, page_small, page_big = alternate(
            count, small.api_ms, big.api_ms, small.page_ms, big.page_ms)
        [last_big] = alternate(5 if quick else 10, big.last_ms)
    return [
        ceiling_row(f"GET {API} with 100,000 open entries (vs 100), median of {count}",
                    statistics.median(api_big), statistics.median(api_small), "ms", 2.0),
        ceiling_row(f"agents' page GET {PAGE} with 100,000 open entries (vs 100), "
                    f"median of {count}",
                    statistics.median(page_big), statistics.median(page_small), "ms", 2.0),
        limit_row("agents' page with 100,000 entries: slowest", max(page_big), "ms", None),
        limit_row(f"GET {LAST} (last page of 100,000), median", statistics.median(last_big),
                  "ms", None),
    ]
