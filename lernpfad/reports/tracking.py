"""Keeps three columns of a person that the reports read instead of scanning every result:
``current_result_id`` (their latest self-assessment result), ``group_changed_at`` (when their
standing in a report group last changed: active, department or that result) and
``completed_modules`` (how many of their modules are completed).

They are kept by session events, so every way of storing a result or changing a person — a
service, the CSV import, the demo, a test helper — keeps them without calling anything. A change
made past the ORM (a bulk UPDATE of people) is not seen: the reports then only publish later,
never earlier (reports.figures.changed_members counts at most the real changes)."""

import sqlalchemy as sa
from sqlalchemy.orm import Session, attributes

from lernpfad.assessments.models import AssessmentResult
from lernpfad.auth.models import Person
from lernpfad.db import utcnow
from lernpfad.modules.models import ModuleProgress
from lernpfad.modules.rules import COMPLETED

GROUP_ATTRIBUTES = ("active", "department_id", "department", "current_result_id")
BATCH = 1000


def latest_result_id(person_id):
    """The id of a person's latest result (by completion time, then id), as a scalar subquery."""
    return (
        sa.select(AssessmentResult.id)
        .where(AssessmentResult.person_id == person_id)
        .order_by(AssessmentResult.completed_at.desc(), AssessmentResult.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def refresh_current_results(connection, person_ids: list | None = None, now=None) -> None:
    """Set ``current_result_id`` (and, where it changes, ``group_changed_at``) from the results:
    for the people given, or for everybody (the demo data and the migration)."""
    latest = latest_result_id(Person.id)
    query = (
        sa.update(Person)
        .where(Person.current_result_id.is_distinct_from(latest))
        .values(current_result_id=latest, group_changed_at=now or utcnow())
    )
    if person_ids is None:
        connection.execute(query)
        return
    for start in range(0, len(person_ids), BATCH):  # within every database's parameter limit
        connection.execute(query.where(Person.id.in_(person_ids[start : start + BATCH])))


def completed_count(person_id):
    return (
        sa.select(sa.func.count())
        .where(ModuleProgress.person_id == person_id, ModuleProgress.state == COMPLETED)
        .scalar_subquery()
    )


def rebuild(connection) -> None:
    """Every person's columns from the records (after the demo data or a bulk change)."""
    refresh_current_results(connection)
    connection.execute(sa.update(Person).values(completed_modules=completed_count(Person.id)))


def completion_changes(new, dirty, deleted) -> dict[int, int]:
    """person id → change in completed modules, from the progress rows a flush writes."""
    delta: dict[int, int] = {}

    def count(progress, step: int) -> None:
        delta[progress.person_id] = delta.get(progress.person_id, 0) + step

    for progress in new:
        if isinstance(progress, ModuleProgress) and progress.state == COMPLETED:
            count(progress, 1)
    for progress in dirty:
        if not isinstance(progress, ModuleProgress):
            continue
        history = sa.inspect(progress).attrs.state.history
        if history.has_changes():
            before = history.deleted[0] if history.deleted else None
            count(progress, (progress.state == COMPLETED) - (before == COMPLETED))
    for progress in deleted:
        if isinstance(progress, ModuleProgress):
            before = sa.inspect(progress).attrs.state.history
            was = before.deleted[0] if before.deleted else progress.state
            count(progress, -(was == COMPLETED))
    return {person: step for person, step in delta.items() if step}


@sa.event.listens_for(Session, "before_flush")
def _stamp_group_changes(session, _context, _instances) -> None:
    now = None
    for obj in session.dirty:
        if not isinstance(obj, Person):
            continue
        state = sa.inspect(obj)
        if any(state.attrs[name].history.has_changes() for name in GROUP_ATTRIBUTES):
            obj.group_changed_at = now = now or utcnow()


@sa.event.listens_for(Session, "after_flush")
def _follow_completions(session, _context) -> None:
    delta = completion_changes(session.new, session.dirty, session.deleted)
    if not delta:
        return
    connection = session.connection()
    for person_id, step in delta.items():
        connection.execute(
            sa.update(Person)
            .where(Person.id == person_id)
            .values(completed_modules=Person.completed_modules + step)
        )
    mapper = sa.inspect(Person)
    for person_id, step in delta.items():
        loaded = session.identity_map.get(mapper.identity_key_from_primary_key((person_id,)))
        if loaded is not None and "completed_modules" in loaded.__dict__:
            # The object in the session counts along (an unloaded value is read when used).
            attributes.set_committed_value(
                loaded, "completed_modules", loaded.__dict__["completed_modules"] + step
            )


@sa.event.listens_for(Session, "after_flush")
def _follow_new_results(session, _context) -> None:
    people = {obj.person_id for obj in session.new if isinstance(obj, AssessmentResult)}
    if not people:
        return
    connection = session.connection()
    people = sorted(people)
    refresh_current_results(connection, people)
    mapper = sa.inspect(Person)
    for start in range(0, len(people), BATCH):
        rows = connection.execute(
            sa.select(Person.id, Person.current_result_id, Person.group_changed_at).where(
                Person.id.in_(people[start : start + BATCH])
            )
        )
        for person_id, result_id, changed_at in rows:
            loaded = session.identity_map.get(mapper.identity_key_from_primary_key((person_id,)))
            if loaded is not None:  # the objects in the session see what the database holds
                attributes.set_committed_value(loaded, "current_result_id", result_id)
                attributes.set_committed_value(loaded, "group_changed_at", changed_at)
