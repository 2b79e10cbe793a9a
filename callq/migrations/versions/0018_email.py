"""emails feed the waiting room: email messages, their attachments, the sender on the entry

Revision ID: 0018
Revises: 0010
Create Date: 2026-11-30 10:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0018'
down_revision: str | Sequence[str] | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mail_message_id', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('from_email', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('subject', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('body_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('email_facts', JSON_DOC, nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_messages_mail_message_id'),
                                          ['mail_message_id'])
    with op.batch_alter_table('waiting_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('caller_email', sa.String(length=320), nullable=True))
        batch_op.create_index('ix_waiting_entries_email', ['caller_email', 'status'],
                              unique=False)
    op.create_table('message_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'],
                            name=op.f('fk_message_attachments_message_id_messages'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_attachments'))
    )
    with op.batch_alter_table('message_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_attachments_message_id'), ['message_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('message_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_attachments_message_id'))
    op.drop_table('message_attachments')
    with op.batch_alter_table('waiting_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_waiting_entries_email')
        batch_op.drop_column('caller_email')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_messages_mail_message_id'), type_='unique')
        batch_op.drop_column('email_facts')
        batch_op.drop_column('body_text')
        batch_op.drop_column('subject')
        batch_op.drop_column('from_email')
        batch_op.drop_column('mail_message_id')
