"""single sign-on identities (placeholder: filled by the SSO work)

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
    pass


def downgrade():
    pass
