"""API tokens, and when a person last changed (people.updated_at)

Revision ID: a7c1e5f20b15
Revises: 138144050674
Create Date: 2026-12-07 03:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

import lernpfad.db


# revision identifiers, used by Alembic.
revision = 'a7c1e5f20b15'
down_revision = '138144050674'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('scopes', sa.String(length=200), nullable=False),
    sa.Column('created_at', lernpfad.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', lernpfad.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', lernpfad.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', lernpfad.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('window_minute', sa.BigInteger(), nullable=False),
    sa.Column('window_calls', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_api_tokens_created_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['people.id'], name=op.f('fk_api_tokens_revoked_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    # people.updated_at (the API's updated_since): until now nothing recorded a change, so the
    # best known moment is when the person was created.
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', lernpfad.db.UTCDateTime(timezone=True), nullable=True))
    op.execute('UPDATE people SET updated_at = created_at')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('updated_at', existing_type=lernpfad.db.UTCDateTime(timezone=True), nullable=False)
        batch_op.create_index(batch_op.f('ix_people_updated_at'), ['updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_updated_at'))
        batch_op.drop_column('updated_at')
    op.drop_table('api_tokens')
