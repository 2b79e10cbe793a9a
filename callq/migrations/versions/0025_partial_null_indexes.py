"""calls, side_effects: an incoming call's row and safety net write no page of an index no
query reads them through

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04 23:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0025'
down_revision: str | Sequence[str] | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, index, columns, the column a new row leaves empty)
PARTIAL = (
    ('calls', 'ix_calls_entry_id', ['entry_id'], 'entry_id'),
    ('calls', 'ix_calls_appointment_id', ['appointment_id'], 'appointment_id'),
    ('side_effects', 'ix_side_effects_done', ['status', 'done_at'], 'done_at'),
)

# The filings waiting for a worker (callq.intake's _WAITING_FILINGS), the only pending effects
# looked up by kind: the index of every pending effect by kind becomes the index of those.
WAITING = sa.text("status = 'pending' AND kind = 'intake_file'")
PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    # An incoming call's row and its safety net wrote a page of each of these indexes for an
    # empty value no query looks up (issue 17: the /twilio/voice commit, 9 pages -> 5). The
    # lookups (`entry_id = ?`, `done_at < ?`) imply IS NOT NULL: both databases use the
    # partial index for them, and for the foreign keys' ON DELETE SET NULL.
    for table, name, columns, column in PARTIAL:
        where = sa.text(f'{column} IS NOT NULL')
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
            batch_op.create_index(name, columns, unique=False, postgresql_where=where,
                                  sqlite_where=where)
    with op.batch_alter_table('side_effects', schema=None) as batch_op:
        batch_op.drop_index('ix_side_effects_pending_kind')
        batch_op.create_index('ix_side_effects_waiting_filings', ['kind', 'id'], unique=False,
                              postgresql_where=WAITING, sqlite_where=WAITING)


def downgrade() -> None:
    with op.batch_alter_table('side_effects', schema=None) as batch_op:
        batch_op.drop_index('ix_side_effects_waiting_filings')
        batch_op.create_index('ix_side_effects_pending_kind', ['kind', 'id'], unique=False,
                              postgresql_where=PENDING, sqlite_where=PENDING)
    for table, name, columns, _column in PARTIAL:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
            batch_op.create_index(name, columns, unique=False)
