"""pilot measurements and decisions; KPI baseline and target as numbers with a unit

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
    with op.batch_alter_table('use_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kpi_unit', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('kpi_baseline_value', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('kpi_target_value', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('pilot_started_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('pilot_weeks', sa.Integer(), nullable=True))

    op.create_table('pilot_measurements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('use_case_id', sa.Integer(), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.Column('value', sa.Double(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('measured_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', lernpfad.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['measured_by_id'], ['people.id'], name=op.f('fk_pilot_measurements_measured_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['use_case_id'], ['use_cases.id'], name=op.f('fk_pilot_measurements_use_case_id_use_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pilot_measurements'))
    )
    with op.batch_alter_table('pilot_measurements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pilot_measurements_use_case_id'), ['use_case_id'], unique=False)

    op.create_table('pilot_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('use_case_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('extra_weeks', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', lernpfad.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['people.id'], name=op.f('fk_pilot_decisions_decided_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['use_case_id'], ['use_cases.id'], name=op.f('fk_pilot_decisions_use_case_id_use_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pilot_decisions'))
    )
    with op.batch_alter_table('pilot_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pilot_decisions_use_case_id'), ['use_case_id'], unique=False)

    _numbers_from_texts()


def _numbers_from_texts():
    """Baseline and target as numbers with the KPI's unit where the old texts parse („90“,
    „1,2“, „35 %“); a running pilot starts on its last change, planned for six weeks; an old
    measured value becomes the pilot's first measurement on that day (nobody named)."""
    from datetime import UTC, datetime

    from lernpfad.usecases import pilots

    connection = op.get_bind()
    use_cases = sa.table(
        'use_cases',
        sa.column('id', sa.Integer), sa.column('kpi_name', sa.String),
        sa.column('kpi_baseline', sa.String), sa.column('kpi_target', sa.String),
        sa.column('kpi_measured', sa.String), sa.column('status', sa.String),
        sa.column('updated_at', lernpfad.db.UTCDateTime(timezone=True)),
        sa.column('kpi_unit', sa.String), sa.column('kpi_baseline_value', sa.Float),
        sa.column('kpi_target_value', sa.Float), sa.column('pilot_started_on', sa.Date),
        sa.column('pilot_weeks', sa.Integer),
    )
    measurements = sa.table(
        'pilot_measurements',
        sa.column('use_case_id', sa.Integer), sa.column('measured_on', sa.Date),
        sa.column('value', sa.Float), sa.column('note', sa.String),
        sa.column('created_at', lernpfad.db.UTCDateTime(timezone=True)),
    )

    def number(text):
        try:
            return pilots.parse_quantity(text or '')[0]
        except pilots.QuantityError:
            return None

    rows = connection.execute(sa.select(
        use_cases.c.id, use_cases.c.kpi_name, use_cases.c.kpi_baseline, use_cases.c.kpi_target,
        use_cases.c.kpi_measured, use_cases.c.status, use_cases.c.updated_at,
    )).all()
    for row in rows:
        values = {
            'kpi_unit': pilots.unit_of_kpi(row.kpi_name, row.kpi_baseline or ''),
            'kpi_baseline_value': number(row.kpi_baseline),
            'kpi_target_value': number(row.kpi_target),
        }
        started = row.updated_at.date() if row.updated_at else None
        if row.status == 'pilot' and started is not None:
            values.update(pilot_started_on=started, pilot_weeks=pilots.DEFAULT_WEEKS)
        connection.execute(
            sa.update(use_cases).where(use_cases.c.id == row.id).values(**values)
        )
        measured = number(row.kpi_measured)
        if measured is not None and started is not None and row.status in ('pilot', 'im_einsatz'):
            connection.execute(sa.insert(measurements).values(
                use_case_id=row.id, measured_on=started, value=measured,
                note='übernommen aus „Gemessener Wert“', created_at=datetime.now(UTC),
            ))


def downgrade():
    with op.batch_alter_table('pilot_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pilot_decisions_use_case_id'))

    op.drop_table('pilot_decisions')
    with op.batch_alter_table('pilot_measurements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pilot_measurements_use_case_id'))

    op.drop_table('pilot_measurements')
    with op.batch_alter_table('use_cases', schema=None) as batch_op:
        batch_op.drop_column('pilot_weeks')
        batch_op.drop_column('pilot_started_on')
        batch_op.drop_column('kpi_target_value')
        batch_op.drop_column('kpi_baseline_value')
        batch_op.drop_column('kpi_unit')
