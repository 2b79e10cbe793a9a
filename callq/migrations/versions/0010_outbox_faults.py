"""outbox under faults: lease fence, sending mark, failure time, process heartbeats

Revision ID: 0010
Revises: 0001
Create Date: 2026-12-02 12:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import callq.models.base

revision: str = '0010'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('side_effects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lease_token', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('sending_at', callq.models.base.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('failed_at', callq.models.base.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.create_index('ix_side_effects_done', ['status', 'done_at'], unique=False)
    op.create_table('process_beats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('pools', sa.String(length=100), nullable=False),
    sa.Column('busy_with', sa.Integer(), nullable=True),
    sa.Column('started_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('beat_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_beats')),
    sa.UniqueConstraint('name', name=op.f('uq_process_beats_name'))
    )


def downgrade() -> None:
    op.drop_table('process_beats')
    with op.batch_alter_table('side_effects', schema=None) as batch_op:
        batch_op.drop_index('ix_side_effects_done')
        batch_op.drop_column('failed_at')
        batch_op.drop_column('sending_at')
        batch_op.drop_column('lease_token')
