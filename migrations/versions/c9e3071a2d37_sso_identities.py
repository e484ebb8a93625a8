"""single sign-on identities: the company account (issuer and subject) bound to a person

Revision ID: c9e3071a2d37
Revises: b8d2f6031c26
Create Date: 2026-12-07 03:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

import lernpfad.db


# revision identifiers, used by Alembic.
revision = 'c9e3071a2d37'
down_revision = 'b8d2f6031c26'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sso_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('created_at', lernpfad.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', lernpfad.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_sso_identities_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_identities')),
    sa.UniqueConstraint('issuer', 'subject', name=op.f('uq_sso_identities_issuer_subject')),
    sa.UniqueConstraint('person_id', 'issuer', name=op.f('uq_sso_identities_person_id_issuer'))
    )


def downgrade():
    op.drop_table('sso_identities')
