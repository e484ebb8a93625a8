"""report groups: current result per person, publication members

Revision ID: 214495456a4e
Revises: 763be82a32b0
Create Date: 2026-12-06 21:26:48.856965

The reports stop scanning every result per page: each person keeps their latest result and when
their standing in a report group changed; publications keep their members as rows (moved from
the JSON column) and a check point.
"""
import json
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import lernpfad.db

# revision identifiers, used by Alembic.
revision = '214495456a4e'
down_revision = '763be82a32b0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_publication_members',
    sa.Column('group_key', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('group_key', 'person_id', name=op.f('pk_report_publication_members'))
    )
    with op.batch_alter_table('assessment_results', schema=None) as batch_op:
        batch_op.create_index('ix_assessment_results_latest', ['person_id', 'completed_at', 'id'], unique=False)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('current_result_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('group_changed_at', lernpfad.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('completed_modules', sa.Integer(), nullable=True))
    with op.batch_alter_table('report_publications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_at', lernpfad.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('drift', sa.JSON(), nullable=True))

    bind = op.get_bind()
    now = datetime.now(UTC)
    people = sa.table(
        'people',
        sa.column('id', sa.Integer),
        sa.column('current_result_id', sa.Integer),
        sa.column('group_changed_at', lernpfad.db.UTCDateTime(timezone=True)),
        sa.column('completed_modules', sa.Integer),
    )
    progress = sa.table(
        'module_progress', sa.column('person_id', sa.Integer), sa.column('state', sa.String)
    )
    completed = (
        sa.select(sa.func.count())
        .where(progress.c.person_id == people.c.id, progress.c.state == 'abgeschlossen')
        .scalar_subquery()
    )
    results = sa.table(
        'assessment_results',
        sa.column('id', sa.Integer),
        sa.column('person_id', sa.Integer),
        sa.column('completed_at', lernpfad.db.UTCDateTime(timezone=True)),
    )
    latest = (
        sa.select(results.c.id)
        .where(results.c.person_id == people.c.id)
        .order_by(results.c.completed_at.desc(), results.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    bind.execute(
        sa.update(people).values(
            current_result_id=latest, group_changed_at=now, completed_modules=completed
        )
    )
    publications = sa.table(
        'report_publications',
        sa.column('id', sa.Integer),
        sa.column('group_key', sa.String),
        sa.column('published_at', lernpfad.db.UTCDateTime(timezone=True)),
        sa.column('members', sa.JSON),
        sa.column('checked_at', lernpfad.db.UTCDateTime(timezone=True)),
        sa.column('drift', sa.JSON),
    )
    members = sa.table(
        'report_publication_members',
        sa.column('group_key', sa.String),
        sa.column('person_id', sa.Integer),
        sa.column('result_id', sa.Integer),
    )
    for pid, key, published_at, stored in bind.execute(
        sa.select(publications.c.id, publications.c.group_key, publications.c.published_at, publications.c.members)
    ).all():
        stored = json.loads(stored) if isinstance(stored, str) else (stored or {})
        rows = [{'group_key': key, 'person_id': int(p), 'result_id': r} for p, r in stored.items()]
        if rows:
            bind.execute(sa.insert(members), rows)
        # Everybody counts as changed after the publication (group_changed_at is now): the next
        # page compares them all once, exactly as before.
        bind.execute(
            sa.update(publications)
            .where(publications.c.id == pid)
            .values(checked_at=published_at, drift=[])
        )

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('group_changed_at', existing_type=lernpfad.db.UTCDateTime(timezone=True), nullable=False)
        batch_op.alter_column('completed_modules', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_people_group_changed_at'), ['group_changed_at'], unique=False)
        batch_op.create_index('ix_people_report_groups', ['active', 'department_id', 'current_result_id', 'completed_modules'], unique=False)
    with op.batch_alter_table('person_roles', schema=None) as batch_op:
        batch_op.create_index('ix_person_roles_role', ['role', 'person_id'], unique=False)
    with op.batch_alter_table('report_publications', schema=None) as batch_op:
        batch_op.alter_column('checked_at', existing_type=lernpfad.db.UTCDateTime(timezone=True), nullable=False)
        batch_op.alter_column('drift', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('members')


def downgrade():
    with op.batch_alter_table('report_publications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('members', sa.JSON(), nullable=True))
    publications = sa.table(
        'report_publications', sa.column('group_key', sa.String), sa.column('members', sa.JSON)
    )
    members = sa.table(
        'report_publication_members',
        sa.column('group_key', sa.String),
        sa.column('person_id', sa.Integer),
        sa.column('result_id', sa.Integer),
    )
    bind = op.get_bind()
    stored: dict = {}
    for key, person_id, result_id in bind.execute(sa.select(members)).all():
        stored.setdefault(key, {})[str(person_id)] = result_id
    for key in bind.execute(sa.select(publications.c.group_key)).scalars().all():
        bind.execute(
            sa.update(publications)
            .where(publications.c.group_key == key)
            .values(members=stored.get(key, {}))
        )
    with op.batch_alter_table('report_publications', schema=None) as batch_op:
        batch_op.alter_column('members', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('drift')
        batch_op.drop_column('checked_at')

    with op.batch_alter_table('assessment_results', schema=None) as batch_op:
        batch_op.drop_index('ix_assessment_results_latest')
    with op.batch_alter_table('person_roles', schema=None) as batch_op:
        batch_op.drop_index('ix_person_roles_role')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index('ix_people_report_groups')
        batch_op.drop_index(batch_op.f('ix_people_group_changed_at'))
        batch_op.drop_column('completed_modules')
        batch_op.drop_column('group_changed_at')
        batch_op.drop_column('current_result_id')

    op.drop_table('report_publication_members')
