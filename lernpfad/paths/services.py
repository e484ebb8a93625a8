"""Paths: personalisation (a pure function) and who follows which path."""

from dataclasses import dataclass

import sqlalchemy as sa

from lernpfad.auth.models import Person
from lernpfad.content.services import current_document, current_modules
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.paths.models import PathAssignment
from lernpfad.reports.services import record_audit

ROLE_KEYS = ("fuehrungsebene", "fachbereichsleitung", "anwender", "champion")

# Step states
OPEN = "open"  # part of the person's path
MASTERED = "mastered"  # "bereits beherrscht": the person's level reaches the module's level
PREPARING = "preparing"  # "in Vorbereitung": the module is not there yet


@dataclass(frozen=True)
class ModuleInfo:
    module_id: str
    title: str
    dimension: str
    level: int
    duration: int


@dataclass(frozen=True)
class PathStep:
    module_id: str
    required: bool  # as the path says
    state: str
    module: ModuleInfo | None

    @property
    def optional(self) -> bool:
        """Optional for this person: marked so in the path, mastered already, or not there yet."""
        return not self.required or self.state != OPEN


def personalise(
    steps: list[dict], levels: dict[str, int] | None, modules: dict[str, ModuleInfo]
) -> list[PathStep]:
    """The path for one person, in the path's order (prerequisites stay first).

    A module at or below the person's level in its dimension is "bereits beherrscht" (optional);
    a step whose module does not exist yet is "in Vorbereitung"; the rest is the person's path.
    Without an assessment (levels None) nothing counts as mastered.
    """
    result = []
    for step in steps:
        module = modules.get(step["module"])
        if module is None:
            state = PREPARING
        elif levels is not None and levels.get(module.dimension, 0) >= module.level:
            state = MASTERED
        else:
            state = OPEN
        result.append(PathStep(step["module"], bool(step.get("required", True)), state, module))
    return result


def module_infos() -> dict[str, ModuleInfo]:
    return {
        mid: ModuleInfo(mid, v.title, v.dimension, v.level, v.duration)
        for mid, v in current_modules().items()
    }


def assignment_for(person: Person) -> PathAssignment | None:
    return db.session.scalar(sa.select(PathAssignment).where(PathAssignment.person_id == person.id))


def path_role(assignment: PathAssignment | None) -> str | None:
    if assignment is None:
        return None
    return "champion" if assignment.nominated_champion else assignment.role


def assign_from_assessment(person: Person, role: str) -> PathAssignment:
    """Set the path from an assessment result, unless HR has set it."""
    assignment = assignment_for(person)
    if assignment is None:
        assignment = PathAssignment(person_id=person.id, role=role, source="assessment")
        db.session.add(assignment)
    elif assignment.source != "hr":
        assignment.role = role
        assignment.updated_at = utcnow()
    db.session.flush()
    return assignment


def override_role(
    person: Person, *, role: str, nominated: bool, reason: str, actor: Person
) -> PathAssignment:
    """HR sets a person's path role and/or champion nomination; the reason goes to the audit log."""
    if role not in ROLE_KEYS[:3]:
        raise ValueError(role)
    assignment = assignment_for(person)
    before = (
        {"role": assignment.role, "nominated": assignment.nominated_champion}
        if assignment
        else None
    )
    if assignment is None:
        assignment = PathAssignment(person_id=person.id, role=role)
        db.session.add(assignment)
    assignment.role = role
    assignment.nominated_champion = nominated
    assignment.source = "hr"
    assignment.updated_at = utcnow()
    record_audit(
        actor=actor,
        action="path.override",
        subject=person,
        before=before,
        after={"role": role, "nominated": nominated},
        reason=reason,
    )
    db.session.flush()
    return assignment


def path_for(person: Person, levels: dict[str, int] | None):
    """(role key, path document data, personalised steps) or (None, None, []) without a path."""
    role = path_role(assignment_for(person))
    if role is None:
        return None, None, []
    document = current_document("path", role)
    if document is None:
        return role, None, []
    return role, document.data, personalise(document.data["steps"], levels, module_infos())


@dataclass
class Overview:
    """Everything the dashboard and the path page show about the person's own learning."""

    latest_result: object | None
    role: str | None
    path: dict | None
    steps: list
    progress: dict
    summary: object | None
    returned: list
    due: list


def overview(person: Person) -> Overview:
    from lernpfad.assessments.services import competency_model, latest_result
    from lernpfad.modules import services as modules

    latest = latest_result(person)
    role, path, steps = path_for(person, latest.levels if latest else None)
    progress = modules.progress_map(person)
    model = competency_model()
    labels = {d["key"]: d["label"] for d in model["dimensions"]} if model else {}
    summary = modules.path_progress(steps, progress, labels) if steps else None
    return Overview(
        latest,
        role,
        path,
        steps,
        progress,
        summary,
        modules.returned_submissions(person),
        modules.due_assignments(person),
    )
