"""appointments: the index a slot search reads busy time from covers the columns it reads

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 14:30:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0023'
down_revision: str | Sequence[str] | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # scheduling.agenda's busy time (status, start, end, agent of every active appointment in
    # the horizon) read from the index alone: on SQLite, half of a slot search was looking up
    # each of its 2,000 rows in the table.
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index('ix_appointments_status_time')
        batch_op.create_index('ix_appointments_status_time',
                              ['status', 'starts_at', 'ends_at', 'agent_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index('ix_appointments_status_time')
        batch_op.create_index('ix_appointments_status_time', ['status', 'starts_at'],
                              unique=False)
