"""The read model: the database's order is the pure order (R5-R8), on both backends."""

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from callq import db
from callq.models import WaitingEntry
from callq.status import TIER_ORDER, EntryStatus
from callq.waiting.order import Placed, order
from callq.waiting_room import EntryFilter, list_entries

T0 = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
rows_strategy = st.lists(
    st.tuples(st.sampled_from(TIER_ORDER), st.booleans(), st.integers(0, 5),
              st.sampled_from([EntryStatus.WAITING, EntryStatus.CLAIMED, EntryStatus.CLOSED])),
    max_size=25,
)


def fill(runtime, drawn):
    with db.write(runtime.sessions) as session:
        session.execute(delete(WaitingEntry))
        added = []
        for tier, vague, minutes, status in drawn:
            # Few distinct times, so ties on the time are common and the id must break them.
            at = T0 + timedelta(minutes=minutes)
            entry = WaitingEntry(status=status, tier=tier, tier_rank=tier.rank, vague=vague,
                                 arrived_at=at, queued_at=at, classification={})
            session.add(entry)
            added.append(entry)
        session.flush()
        return [(e.id, e.tier, e.vague, e.queued_at, e.status) for e in added]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=rows_strategy, limit=st.integers(1, 10), offset=st.integers(0, 12))
def test_r05_r08_the_sql_order_is_the_pure_order_page_by_page(runtime, drawn, limit, offset):
    stored = fill(runtime, drawn)
    listed = [Placed(i, tier, vague, at) for i, tier, vague, at, status in stored
              if status in EntryFilter().statuses]
    expected = [p.id for p in order(listed)]
    with runtime.sessions() as session:
        page, total = list_entries(session, runtime, limit=limit, offset=offset)
    assert total == len(expected)
    assert [v.id for v in page] == expected[offset:offset + limit]
    assert [v.position for v in page] == list(range(offset + 1, offset + 1 + len(page)))


def test_filters_narrow_the_list_and_positions_count_within_it(runtime):
    drawn = [(TIER_ORDER[0], False, 1, EntryStatus.WAITING),
             (TIER_ORDER[3], True, 0, EntryStatus.WAITING),
             (TIER_ORDER[0], False, 2, EntryStatus.CLAIMED),
             (TIER_ORDER[1], False, 0, EntryStatus.CLOSED)]
    stored = fill(runtime, drawn)
    ids = [row[0] for row in stored]
    with runtime.sessions() as session:
        critical, total = list_entries(session, runtime,
                                       filters=EntryFilter(tier=TIER_ORDER[0]))
        vague, _ = list_entries(session, runtime, filters=EntryFilter(vague=True))
        closed, _ = list_entries(session, runtime,
                                 filters=EntryFilter(statuses=(EntryStatus.CLOSED,)))
    assert ([v.id for v in critical], total) == ([ids[0], ids[2]], 2)
    assert [(v.id, v.position) for v in vague] == [(ids[1], 1)]
    assert [v.id for v in closed] == [ids[3]]
