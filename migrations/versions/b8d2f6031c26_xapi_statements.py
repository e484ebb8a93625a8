"""xAPI statements and outbox (placeholder: filled by the xAPI work)

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
    pass


def downgrade():
    pass
