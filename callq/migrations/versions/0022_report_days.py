"""reports: service figures summed by day, outcome lines' outcome as a column, indexes

Revision ID: 0022
Revises: 0019
Create Date: 2026-12-02 16:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0022'
down_revision: str | Sequence[str] | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table(
        'report_service_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=5), nullable=False),
        sa.Column('key', sa.String(length=20), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in (
            'entries', 'attempted', 'first_met', 'first_missed', 'qualification_met',
            'qualification_missed', 'resolution_met', 'resolution_missed', 'attempts')),
        sa.Column('first_seconds', sa.LargeBinary(), nullable=False),
        sa.Column('resolution_seconds', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'kind', 'key', name=op.f('pk_report_service_days')),
    )
    with op.batch_alter_table('waiting_entries', schema=None) as batch_op:
        batch_op.create_index('ix_waiting_entries_unmeasured', ['sla_closed_at', 'arrived_at'],
                              unique=False)
        # Covering: the reports' scans of a period read the index alone.
        batch_op.drop_index('ix_waiting_entries_arrived')
        batch_op.create_index('ix_waiting_entries_arrived',
                              ['arrived_at', 'tier', 'outcome', 'vague'], unique=False)
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_received_at')
        batch_op.create_index('ix_messages_received_at', ['received_at', 'entry_id'],
                              unique=False)
    with op.batch_alter_table('entry_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.String(length=30), nullable=True))
        batch_op.drop_index('ix_entry_events_kind_at')
        batch_op.create_index('ix_entry_events_kind_at',
                              ['kind', 'at', 'outcome', 'agent_id', 'entry_id'], unique=False)
    events = sa.table('entry_events', sa.column('kind', sa.String()),
                      sa.column('outcome', sa.String()), sa.column('detail', JSON_DOC))
    op.execute(events.update().where(events.c.kind == 'outcome').values(
        outcome=events.c.detail['outcome'].as_string()))
    # The entries measured before the rows existed, summed into them once (the reports' own
    # code: the rows hold exactly what measuring adds).
    from callq.reports import rollup

    rollup.backfill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('entry_events', schema=None) as batch_op:
        batch_op.drop_index('ix_entry_events_kind_at')
        batch_op.create_index('ix_entry_events_kind_at', ['kind', 'at'], unique=False)
        batch_op.drop_column('outcome')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_received_at')
        batch_op.create_index('ix_messages_received_at', ['received_at'], unique=False)
    with op.batch_alter_table('waiting_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_waiting_entries_arrived')
        batch_op.create_index('ix_waiting_entries_arrived', ['arrived_at'], unique=False)
        batch_op.drop_index('ix_waiting_entries_unmeasured')
    op.drop_table('report_service_days')
