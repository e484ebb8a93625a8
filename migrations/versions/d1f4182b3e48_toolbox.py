"""KI-Toolbox (placeholder: filled by the toolbox work)

Revision ID: d1f4182b3e48
Revises: c9e3071a2d37
Create Date: 2026-12-07 03:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import lernpfad.db


# revision identifiers, used by Alembic.
revision = 'd1f4182b3e48'
down_revision = 'c9e3071a2d37'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
