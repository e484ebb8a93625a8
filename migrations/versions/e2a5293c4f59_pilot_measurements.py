"""pilot measurements and decisions (placeholder: filled by the pilots work)

Revision ID: e2a5293c4f59
Revises: d1f4182b3e48
Create Date: 2026-12-07 03:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import lernpfad.db


# revision identifiers, used by Alembic.
revision = 'e2a5293c4f59'
down_revision = 'd1f4182b3e48'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
