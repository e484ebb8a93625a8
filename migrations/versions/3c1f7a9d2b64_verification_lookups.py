"""verification lookups: the look-up limit of the public certificate verification page

Revision ID: 3c1f7a9d2b64
Revises: 62b552e9362d
Create Date: 2026-12-06 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import lernpfad.db


# revision identifiers, used by Alembic.
revision = '3c1f7a9d2b64'
down_revision = '62b552e9362d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('verification_lookups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('at', lernpfad.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verification_lookups'))
    )
    with op.batch_alter_table('verification_lookups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verification_lookups_at'), ['at'], unique=False)
        batch_op.create_index('ix_verification_lookups_client_at', ['client', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('verification_lookups', schema=None) as batch_op:
        batch_op.drop_index('ix_verification_lookups_client_at')
        batch_op.drop_index(batch_op.f('ix_verification_lookups_at'))

    op.drop_table('verification_lookups')
