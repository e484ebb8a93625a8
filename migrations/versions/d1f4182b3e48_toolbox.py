"""KI-Toolbox: the company's AI tools and the use cases they serve

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
    op.create_table('toolbox_tools',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('data_class', sa.String(length=20), nullable=False),
    sa.Column('hosting_region', sa.String(length=30), nullable=False),
    sa.Column('has_dpa', sa.Boolean(), nullable=False),
    sa.Column('licence_model', sa.String(length=30), nullable=False),
    sa.Column('monthly_cost_eur', sa.Integer(), nullable=True),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('created_at', lernpfad.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', lernpfad.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_toolbox_tools')),
    sa.UniqueConstraint('name', name=op.f('uq_toolbox_tools_name'))
    )
    with op.batch_alter_table('toolbox_tools', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_toolbox_tools_status'), ['status'], unique=False)

    op.create_table('toolbox_tool_use_cases',
    sa.Column('tool_id', sa.Integer(), nullable=False),
    sa.Column('use_case_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tool_id'], ['toolbox_tools.id'], name=op.f('fk_toolbox_tool_use_cases_tool_id_toolbox_tools'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['use_case_id'], ['use_cases.id'], name=op.f('fk_toolbox_tool_use_cases_use_case_id_use_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tool_id', 'use_case_id', name=op.f('pk_toolbox_tool_use_cases'))
    )
    with op.batch_alter_table('toolbox_tool_use_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_toolbox_tool_use_cases_use_case_id'), ['use_case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('toolbox_tool_use_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_toolbox_tool_use_cases_use_case_id'))

    op.drop_table('toolbox_tool_use_cases')
    with op.batch_alter_table('toolbox_tools', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_toolbox_tools_status'))

    op.drop_table('toolbox_tools')
