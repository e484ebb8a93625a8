"""xAPI: pseudonyms, the outbox of statements for the Learning Record Store, and the scan mark

Revision ID: b8d2f6031c26
Revises: a7c1e5f20b15
Create Date: 2026-12-07 03:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

import lernpfad.db


# revision identifiers, used by Alembic.
revision = 'b8d2f6031c26'
down_revision = 'a7c1e5f20b15'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('xapi_actors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('created_at', lernpfad.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_xapi_actors_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_xapi_actors')),
    sa.UniqueConstraint('name', name=op.f('uq_xapi_actors_name')),
    sa.UniqueConstraint('person_id', name=op.f('uq_xapi_actors_person_id'))
    )
    op.create_table('xapi_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('verb', sa.String(length=20), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', lernpfad.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', lernpfad.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('sent_at', lernpfad.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_xapi_outbox_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_xapi_outbox')),
    sa.UniqueConstraint('statement_id', name=op.f('uq_xapi_outbox_statement_id'))
    )
    with op.batch_alter_table('xapi_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_xapi_outbox_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_xapi_outbox_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_xapi_outbox_sent_at'), ['sent_at'], unique=False)

    op.create_table('xapi_scan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scanned_until', lernpfad.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_xapi_scan'))
    )


def downgrade():
    op.drop_table('xapi_scan')
    with op.batch_alter_table('xapi_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_xapi_outbox_sent_at'))
        batch_op.drop_index(batch_op.f('ix_xapi_outbox_person_id'))
        batch_op.drop_index(batch_op.f('ix_xapi_outbox_next_attempt_at'))

    op.drop_table('xapi_outbox')
    op.drop_table('xapi_actors')
