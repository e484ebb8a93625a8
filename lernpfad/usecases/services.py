"""Use cases of a department: who may see and edit them, creating and changing. Callers commit."""

import sqlalchemy as sa

from lernpfad.auth.models import Person, Role
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.modules.models import Submission
from lernpfad.usecases import rules
from lernpfad.usecases.models import UseCase

EDITORS = (Role.DEPARTMENT_HEAD, Role.CHAMPION)
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


def can_edit(person: Person, use_case: UseCase) -> bool:
    """Department heads and champions, of the use case's own department."""
    return person.has_role(*EDITORS) and person.department_id == use_case.department_id


def can_view(person: Person, use_case: UseCase) -> bool:
    return can_edit(person, use_case) or person.has_role(*COMPANY_VIEWERS)


def can_see_submitters(person: Person, use_case: UseCase) -> bool:
    """Who may see which learner linked which task: the department's heads and champions."""
    return can_edit(person, use_case)


def visible_use_cases(person: Person, department_id: int | None = None) -> list[UseCase]:
    """Ranked use cases this person may see (own department, or the company for leadership and HR)."""
    query = sa.select(UseCase)
    if person.has_role(*COMPANY_VIEWERS):
        if department_id is not None:
            query = query.where(UseCase.department_id == department_id)
    else:
        query = query.where(UseCase.department_id == person.department_id)
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
