"""Use cases of a department: who may see and edit them, creating and changing. Callers commit."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lernpfad.auth.models import Department, Person, Role
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.mentoring.services import departments_of
from lernpfad.modules.models import Submission
from lernpfad.usecases import rules
from lernpfad.usecases.models import UseCase

COMPANY_VIEWERS = (Role.LEADERSHIP, Role.HR)
FIELDS = (
    "title",
    "process",
    "problem",
    "expected_benefit",
    "kpi_name",
    "kpi_baseline",
    "kpi_target",
    "kpi_measured",
    "score_value",
    "score_feasibility",
    "score_strategic",
    "status",
)


class StatusRefused(ValueError):
    pass


def scope_of(person: Person) -> rules.UseCaseScope:
    """Whose use cases this person sees and works on (``rules.use_case_scope``)."""
    return rules.use_case_scope(
        is_head=person.has_role(Role.DEPARTMENT_HEAD),
        is_champion=person.has_role(Role.CHAMPION),
        is_company_viewer=person.has_role(*COMPANY_VIEWERS),
        own_department=person.department_id,
        looked_after=departments_of(person),
    )


def can_edit(person: Person, use_case: UseCase) -> bool:
    """Department heads of the use case's department, and the champions who look after it."""
    return scope_of(person).may_edit(use_case.department_id)


def scope_departments(scope: rules.UseCaseScope) -> list[Department]:
    """The departments a person works on, by name (where they register use cases)."""
    if not scope.departments:
        return []
    return list(
        db.session.scalars(
            sa.select(Department)
            .where(Department.id.in_(scope.departments))
            .order_by(Department.name)
        )
    )


def filter_departments(scope: rules.UseCaseScope) -> list[Department]:
    """The departments the register can be narrowed to: every one for leadership and HR."""
    if scope.whole_company:
        return list(db.session.scalars(sa.select(Department).order_by(Department.name)))
    return scope_departments(scope)


def visible_use_cases(scope: rules.UseCaseScope, department_id: int | None = None) -> list[UseCase]:
    """Ranked use cases within the scope, optionally of one department (none outside it)."""
    query = sa.select(UseCase).options(joinedload(UseCase.department))
    if not scope.whole_company:
        query = query.where(UseCase.department_id.in_(scope.departments))
    if department_id is not None:
        query = query.where(UseCase.department_id == department_id)
    return rules.rank(list(db.session.scalars(query)))


def save(use_case: UseCase, values: dict) -> UseCase:
    """Apply form values; a status may only move along the documented flow."""
    new_status = values.get("status", use_case.status or "idee")
    if use_case.id is not None and not rules.status_change_allowed(use_case.status, new_status):
        raise StatusRefused(new_status)
    for name in FIELDS:
        if name in values:
            value = values[name]
            if name.startswith("score_"):
                value = int(value)
            elif isinstance(value, str):
                value = value.strip()
            setattr(use_case, name, value or (None if name == "kpi_measured" else value))
    use_case.updated_at = utcnow()
    if use_case.id is None:
        db.session.add(use_case)
    db.session.flush()
    return use_case


def linked_submissions(use_case: UseCase) -> list[Submission]:
    return list(
        db.session.scalars(
            sa.select(Submission)
            .where(Submission.use_case_id == use_case.id, Submission.status != "returned")
            .order_by(Submission.created_at.desc())
        )
    )
