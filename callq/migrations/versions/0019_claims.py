"""claims: one claim per agent (partial unique index), lapsed leases found by a partial index

Revision ID: 0019
Revises: 0012
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | Sequence[str] | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLAIMED = sa.text("status = 'claimed'")
# A claim of the same agent with a later lease (or the same lease and a higher id).
NEWER = ("EXISTS (SELECT 1 FROM waiting_entries o WHERE o.status = 'claimed' "
         "AND o.claimed_by = waiting_entries.claimed_by "
         "AND (o.lease_expires_at > waiting_entries.lease_expires_at "
         "OR (o.lease_expires_at = waiting_entries.lease_expires_at "
         "AND o.id > waiting_entries.id)))")


def upgrade() -> None:
    # Before this revision an agent whose lease had lapsed could claim another entry while the
    # lapsed one waited for its timer: return such older claims to the list, as their timers
    # would have (history line 'lease_expired', version bumped), before one claim per agent.
    op.execute(
        "INSERT INTO entry_events (entry_id, at, actor, agent_id, kind, detail) "
        "SELECT id, CURRENT_TIMESTAMP, 'system', claimed_by, 'lease_expired', '{}' "
        f"FROM waiting_entries WHERE status = 'claimed' AND {NEWER}")
    op.execute(
        "UPDATE waiting_entries SET status = 'waiting', claimed_by = NULL, "
        f"lease_expires_at = NULL, version = version + 1 WHERE status = 'claimed' AND {NEWER}")
    op.create_index('ux_waiting_entries_one_claim', 'waiting_entries', ['claimed_by'],
                    unique=True, postgresql_where=CLAIMED, sqlite_where=CLAIMED)
    op.create_index('ix_waiting_entries_lease', 'waiting_entries', ['lease_expires_at'],
                    unique=False, postgresql_where=CLAIMED, sqlite_where=CLAIMED)


def downgrade() -> None:
    op.drop_index('ix_waiting_entries_lease', table_name='waiting_entries')
    op.drop_index('ux_waiting_entries_one_claim', table_name='waiting_entries')
