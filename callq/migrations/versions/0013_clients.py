"""clients: short links, waitlist offers

Revision ID: 0013
Revises: 0014
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import callq.models.base

revision: str = '0013'
down_revision: str | Sequence[str] | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_OFFER = "status = 'offered'"


def upgrade() -> None:
    op.create_table('short_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('target', sa.String(length=2000), nullable=False),
    sa.Column('expires_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_short_links')),
    sa.UniqueConstraint('code', name=op.f('uq_short_links_code'))
    )
    op.create_table('waitlist_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('offered_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', callq.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', callq.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'],
                            name=op.f('fk_waitlist_offers_appointment_id_appointments'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['waiting_entries.id'],
                            name=op.f('fk_waitlist_offers_entry_id_waiting_entries'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waitlist_offers'))
    )
    op.create_index('ix_waitlist_offers_slot', 'waitlist_offers', ['starts_at', 'status'],
                    unique=False)
    op.create_index('uq_waitlist_offers_open_entry', 'waitlist_offers', ['entry_id'],
                    unique=True, postgresql_where=sa.text(OPEN_OFFER),
                    sqlite_where=sa.text(OPEN_OFFER))
    # The recent callback rate reads entries closed lately: ix_waiting_entries_closed (0014).


def downgrade() -> None:
    op.drop_index('uq_waitlist_offers_open_entry', table_name='waitlist_offers')
    op.drop_index('ix_waitlist_offers_slot', table_name='waitlist_offers')
    op.drop_table('waitlist_offers')
    op.drop_table('short_links')
