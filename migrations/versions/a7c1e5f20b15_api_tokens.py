"""API tokens (placeholder: filled by the API work)

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
    pass


def downgrade():
    pass
