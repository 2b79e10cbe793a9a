"""side_effects: the filings waiting for a worker found through an index of pending effects

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 17:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0024'
down_revision: str | Sequence[str] | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    # Each filing looks for the other filings still waiting (callq.intake's _WAITING_FILINGS):
    # without this index it read every pending effect of every kind (3,000 safety nets in a
    # burst's backlog for 3 filings), once per filing.
    with op.batch_alter_table('side_effects', schema=None) as batch_op:
        batch_op.create_index('ix_side_effects_pending_kind', ['kind', 'id'], unique=False,
                              postgresql_where=PENDING, sqlite_where=PENDING)


def downgrade() -> None:
    with op.batch_alter_table('side_effects', schema=None) as batch_op:
        batch_op.drop_index('ix_side_effects_pending_kind')
