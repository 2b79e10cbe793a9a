"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 16:13:04.537096
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import callq.models.base
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.create_table('agents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('feed_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agents')),
    sa.UniqueConstraint('email', name=op.f('uq_agents_email')),
    sa.UniqueConstraint('feed_token', name=op.f('uq_agents_feed_token'))
    )
    op.create_table('clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('product_version', sa.String(length=40), nullable=True),
    sa.Column('created_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clients'))
    )
    op.create_table('closures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closures')),
    sa.UniqueConstraint('day', name=op.f('uq_closures_day'))
    )
    op.create_table('gateway_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('sid', sa.String(length=64), nullable=False),
    sa.Column('to_number', sa.String(length=20), nullable=False),
    sa.Column('from_number', sa.String(length=20), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('params', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gateway_records')),
    sa.UniqueConstraint('sid', name=op.f('uq_gateway_records_sid'))
    )
    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_who', ['email', 'address', 'at'], unique=False)

    op.create_table('side_effects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('due_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('lease_until', callq.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('enqueued_at', callq.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('done_at', callq.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_side_effects')),
    sa.UniqueConstraint('key', name=op.f('uq_side_effects_key'))
    )
    with op.batch_alter_table('side_effects', schema=None) as batch_op:
        batch_op.create_index('ix_side_effects_due', ['status', 'due_at'], unique=False)

    op.create_table('used_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_id', sa.String(length=64), nullable=False),
    sa.Column('used_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_used_tokens')),
    sa.UniqueConstraint('token_id', name=op.f('uq_used_tokens_token_id'))
    )
    op.create_table('absences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_absences_agent_id_agents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_absences'))
    )
    with op.batch_alter_table('absences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_absences_agent_id'), ['agent_id'], unique=False)

    op.create_table('client_phones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_client_phones_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_phones')),
    sa.UniqueConstraint('number', name=op.f('uq_client_phones_number'))
    )
    op.create_table('waiting_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('tier', sa.String(length=10), nullable=False),
    sa.Column('tier_rank', sa.Integer(), nullable=False),
    sa.Column('vague', sa.Boolean(), nullable=False),
    sa.Column('need_text', sa.Text(), nullable=True),
    sa.Column('classification', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('tier_set_by_agent', sa.Boolean(), nullable=False),
    sa.Column('caller_number', sa.String(length=20), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('arrived_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('queued_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', callq.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('messages_count', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('available_at', callq.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.Integer(), nullable=True),
    sa.Column('lease_expires_at', callq.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('awaiting_since', callq.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=30), nullable=True),
    sa.Column('closed_at', callq.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['claimed_by'], ['agents.id'], name=op.f('fk_waiting_entries_claimed_by_agents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_waiting_entries_client_id_clients'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waiting_entries'))
    )
    with op.batch_alter_table('waiting_entries', schema=None) as batch_op:
        batch_op.create_index('ix_waiting_entries_caller', ['caller_number', 'status'], unique=False)
        batch_op.create_index('ix_waiting_entries_client', ['client_id', 'status'], unique=False)
        batch_op.create_index('ix_waiting_entries_order', ['status', 'vague', 'tier_rank', 'queued_at', 'id'], unique=False)

    op.create_table('appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('follows_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('client_name', sa.String(length=200), nullable=False),
    sa.Column('client_email', sa.String(length=320), nullable=True),
    sa.Column('client_phone', sa.String(length=20), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('moves', sa.Integer(), nullable=False),
    sa.Column('no_shows', sa.Integer(), nullable=False),
    sa.Column('created_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_appointments_agent_id_agents'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_appointments_client_id_clients'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['waiting_entries.id'], name=op.f('fk_appointments_entry_id_waiting_entries'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['follows_id'], ['appointments.id'], name=op.f('fk_appointments_follows_id_appointments'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments'))
    )
    if postgres:  # two active appointments of one agent never overlap (R12)
        op.execute(
            "ALTER TABLE appointments ADD CONSTRAINT ex_appointments_agent_overlap "
            "EXCLUDE USING gist (agent_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
            "WHERE (status IN ('booked', 'in_call'))"
        )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index('ix_appointments_agent_time', ['agent_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index('ix_appointments_status_time', ['status', 'starts_at'], unique=False)

    op.create_table('entry_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=20), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_entry_events_agent_id_agents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['waiting_entries.id'], name=op.f('fk_entry_events_entry_id_waiting_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entry_events'))
    )
    with op.batch_alter_table('entry_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_events_entry_id'), ['entry_id'], unique=False)

    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('call_sid', sa.String(length=64), nullable=True),
    sa.Column('from_number', sa.String(length=20), nullable=True),
    sa.Column('received_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('speech_text', sa.Text(), nullable=True),
    sa.Column('speech_confidence', sa.Double(), nullable=True),
    sa.Column('recording_sid', sa.String(length=64), nullable=True),
    sa.Column('recording_url', sa.String(length=500), nullable=True),
    sa.Column('recording_seconds', sa.Integer(), nullable=True),
    sa.Column('recording_path', sa.String(length=500), nullable=True),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['waiting_entries.id'], name=op.f('fk_messages_entry_id_waiting_entries'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('call_sid', name=op.f('uq_messages_call_sid')),
    sa.UniqueConstraint('recording_sid', name=op.f('uq_messages_recording_sid'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_entry_id'), ['entry_id'], unique=False)

    op.create_table('bridges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('client_number', sa.String(length=20), nullable=False),
    sa.Column('agent_call_sid', sa.String(length=64), nullable=True),
    sa.Column('agent_status', sa.String(length=20), nullable=False),
    sa.Column('agent_sequence', sa.Integer(), nullable=False),
    sa.Column('agent_answered_by', sa.String(length=30), nullable=True),
    sa.Column('dialed_at', callq.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('client_call_sid', sa.String(length=64), nullable=True),
    sa.Column('client_status', sa.String(length=20), nullable=True),
    sa.Column('client_sequence', sa.Integer(), nullable=False),
    sa.Column('client_answered_by', sa.String(length=30), nullable=True),
    sa.Column('dial_status', sa.String(length=20), nullable=True),
    sa.Column('duration_seconds', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('resolved_at', callq.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_bridges_agent_id_agents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_bridges_appointment_id_appointments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['waiting_entries.id'], name=op.f('fk_bridges_entry_id_waiting_entries'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bridges')),
    sa.UniqueConstraint('key', name=op.f('uq_bridges_key'))
    )
    with op.batch_alter_table('bridges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bridges_appointment_id'), ['appointment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bridges_entry_id'), ['entry_id'], unique=False)

    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_sid', sa.String(length=64), nullable=False),
    sa.Column('direction', sa.String(length=20), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('from_number', sa.String(length=20), nullable=True),
    sa.Column('to_number', sa.String(length=20), nullable=True),
    sa.Column('mode', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('answered_by', sa.String(length=30), nullable=True),
    sa.Column('dial_status', sa.String(length=20), nullable=True),
    sa.Column('duration_seconds', sa.Integer(), nullable=True),
    sa.Column('created_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_calls_agent_id_agents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_calls_appointment_id_appointments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['waiting_entries.id'], name=op.f('fk_calls_entry_id_waiting_entries'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls')),
    sa.UniqueConstraint('call_sid', name=op.f('uq_calls_call_sid'))
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_appointment_id'), ['appointment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_entry_id'), ['entry_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_entry_id'))
        batch_op.drop_index(batch_op.f('ix_calls_appointment_id'))

    op.drop_table('calls')
    with op.batch_alter_table('bridges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bridges_entry_id'))
        batch_op.drop_index(batch_op.f('ix_bridges_appointment_id'))

    op.drop_table('bridges')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_entry_id'))

    op.drop_table('messages')
    with op.batch_alter_table('entry_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_events_entry_id'))

    op.drop_table('entry_events')
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index('ix_appointments_status_time')
        batch_op.drop_index(batch_op.f('ix_appointments_entry_id'))
        batch_op.drop_index('ix_appointments_agent_time')

    op.drop_table('appointments')
    with op.batch_alter_table('waiting_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_waiting_entries_order')
        batch_op.drop_index('ix_waiting_entries_client')
        batch_op.drop_index('ix_waiting_entries_caller')

    op.drop_table('waiting_entries')
    op.drop_table('client_phones')
    with op.batch_alter_table('absences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_absences_agent_id'))

    op.drop_table('absences')
    op.drop_table('used_tokens')
    with op.batch_alter_table('side_effects', schema=None) as batch_op:
        batch_op.drop_index('ix_side_effects_due')

    op.drop_table('side_effects')
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failures_who')

    op.drop_table('login_failures')
    op.drop_table('gateway_records')
    op.drop_table('closures')
    op.drop_table('clients')
    op.drop_table('agents')
