"""reports: service-level clocks on entries, appointment extensions, indexes for the reports

Revision ID: 0014
Revises: 0009
Create Date: 2026-11-23 09:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import callq.models.base

revision: str = '0014'
down_revision: str | Sequence[str] | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
UTC = callq.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('waiting_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_attempt_at', UTC, nullable=True))
        batch_op.add_column(sa.Column('first_attempt_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('qualified_at', UTC, nullable=True))
        batch_op.add_column(sa.Column('resolved_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('clock_waits', JSON, nullable=True))
        batch_op.add_column(sa.Column('sla_closed_at', UTC, nullable=True))
        batch_op.add_column(sa.Column('sla_first_seconds', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('sla_first_met', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('sla_qualification_met', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('sla_resolution_seconds', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('sla_resolution_met', sa.Boolean(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_waiting_entries_first_attempt_by_agents'),
                                    'agents', ['first_attempt_by'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_waiting_entries_resolved_by_agents'),
                                    'agents', ['resolved_by'], ['id'], ondelete='SET NULL')
        batch_op.create_index('ix_waiting_entries_arrived', ['arrived_at'], unique=False)
        batch_op.create_index('ix_waiting_entries_closed', ['closed_at'], unique=False)
    # What the clocks' events would have written, for entries filed before them: the first
    # outcome an agent recorded is the first attempt; closed entries count as qualified then.
    op.execute(
        "UPDATE waiting_entries SET first_attempt_at = (SELECT MIN(e.at) FROM entry_events e "
        "WHERE e.entry_id = waiting_entries.id AND e.kind IN ('outcome', 'call_started') "
        "AND e.actor = 'agent')")
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extensions', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.create_index('ix_appointments_created', ['created_at'], unique=False)
    with op.batch_alter_table('entry_events', schema=None) as batch_op:
        batch_op.create_index('ix_entry_events_kind_at', ['kind', 'at'], unique=False)
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_received_at'), ['received_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_received_at'))
    with op.batch_alter_table('entry_events', schema=None) as batch_op:
        batch_op.drop_index('ix_entry_events_kind_at')
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index('ix_appointments_created')
        batch_op.drop_column('extensions')
    with op.batch_alter_table('waiting_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_waiting_entries_closed')
        batch_op.drop_index('ix_waiting_entries_arrived')
        batch_op.drop_constraint(batch_op.f('fk_waiting_entries_resolved_by_agents'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_waiting_entries_first_attempt_by_agents'),
                                 type_='foreignkey')
        for name in ('sla_resolution_met', 'sla_resolution_seconds', 'sla_qualification_met',
                     'sla_first_met', 'sla_first_seconds', 'sla_closed_at', 'clock_waits'):
            batch_op.drop_column(name)
        batch_op.drop_column('resolved_by')
        batch_op.drop_column('qualified_at')
        batch_op.drop_column('first_attempt_by')
        batch_op.drop_column('first_attempt_at')
