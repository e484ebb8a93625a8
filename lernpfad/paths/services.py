"""Paths: personalisation (a pure function) and who follows which path."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import load_only

from lernpfad.assessments.models import AssessmentResult
from lernpfad.audit.services import record_audit
from lernpfad.auth.models import Person
from lernpfad.content.cache import current_documents
from lernpfad.content.models import ModuleVersion, summary_lines
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.paths.models import PathAssignment

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
    mandatory: bool = False
    summary: str = ""  # the first sentence of „Das Wichtigste in Kürze“


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
    steps: list[dict],
    levels: dict[str, int] | None,
    modules: dict[str, ModuleInfo],
    attempts: dict[str, tuple[int, bool]] | None = None,
) -> list[PathStep]:
    """The path for one person, in the path's order (prerequisites stay first).

    A module at or below the person's level in its dimension is "bereits beherrscht": optional,
    to be completed by test-out (its quiz passed at the first try). Once the person has tried
    its quiz without testing out, it is an ordinary step of their path again. Mandatory modules
    ("pflicht") are never mastered in advance. A step whose module does not exist yet is "in
    Vorbereitung". Without an assessment (levels None) nothing counts as mastered.
    ``attempts``: module id → (quiz attempts up to the first pass, tested out).
    """
    attempts = attempts or {}
    result = []
    for step in steps:
        module = modules.get(step["module"])
        tried, tested_out = attempts.get(step["module"], (0, False))
        if module is None:
            state = PREPARING
        elif (
            levels is not None
            and not module.mandatory
            and levels.get(module.dimension, 0) >= module.level
            and (tried == 0 or tested_out)
        ):
            state = MASTERED
        else:
            state = OPEN
        result.append(PathStep(step["module"], bool(step.get("required", True)), state, module))
    return result


# The per-request statements are built once (module level): building a statement and its cache
# key anew costs about as much as running it on SQLite.
_MODULE_INFOS = sa.select(
    ModuleVersion.module_id,
    ModuleVersion.title,
    ModuleVersion.dimension,
    ModuleVersion.level,
    ModuleVersion.duration,
    ModuleVersion.mandatory,
    ModuleVersion.summary,
).where(ModuleVersion.is_current)
_LATEST_RESULT = (
    sa.select(AssessmentResult)
    .options(
        load_only(
            AssessmentResult.id,
            AssessmentResult.completed_at,
            AssessmentResult.base_role,
            AssessmentResult.path_role,
            AssessmentResult.levels,
        )
    )
    .where(AssessmentResult.person_id == sa.bindparam("person_id"))
    .order_by(AssessmentResult.completed_at.desc(), AssessmentResult.id.desc())
    .limit(1)
)
_ASSIGNMENT = sa.select(PathAssignment).where(PathAssignment.person_id == sa.bindparam("person_id"))


def module_infos() -> dict[str, ModuleInfo]:
    """Title and facts of every current module, by id (these columns only: no bodies, quizzes)."""
    return {
        row.module_id: ModuleInfo(*row[:-1], summary=next(iter(summary_lines(row.summary)), ""))
        for row in db.session.execute(_MODULE_INFOS)
    }


def latest_result(person: Person) -> AssessmentResult | None:
    """The person's latest assessment result (as assessments.services.latest_result), without
    the answers' details: what paths and the pages around them need."""
    return db.session.scalar(_LATEST_RESULT, {"person_id": person.id})


def assignment_for(person: Person) -> PathAssignment | None:
    return db.session.scalar(_ASSIGNMENT, {"person_id": person.id})


OFFERED, CONFIRMED, DECLINED = "offered", "confirmed", "declined"


def path_role(assignment: PathAssignment | None) -> str | None:
    if assignment is None:
        return None
    if assignment.nominated_champion or assignment.champion_choice == CONFIRMED:
        return "champion"
    return assignment.role


def assign_from_assessment(person: Person, role: str, *, champion: bool) -> PathAssignment:
    """Set the path from an assessment result (the base role), unless HR has set it. When the
    person qualifies for the champion path, it is offered to them (choose_champion_path)."""
    assignment = assignment_for(person)
    if assignment is None:
        assignment = PathAssignment(person_id=person.id, role=role, source="assessment")
        db.session.add(assignment)
    elif assignment.source != "hr":
        assignment.role = role
        assignment.updated_at = utcnow()
    if champion and assignment.champion_choice != CONFIRMED:
        assignment.champion_choice = OFFERED
    elif not champion and assignment.champion_choice == OFFERED:
        assignment.champion_choice = None
    db.session.flush()
    return assignment


class ChoiceRefused(ValueError):
    pass


def choose_champion_path(person: Person, accept: bool) -> PathAssignment:
    """The person takes up or turns down the champion path offered after their assessment;
    a decision can be changed later (a declined offer stays open on the path page)."""
    assignment = assignment_for(person)
    if assignment is None or assignment.champion_choice is None:
        raise ChoiceRefused("not offered")
    assignment.champion_choice = CONFIRMED if accept else DECLINED
    assignment.updated_at = utcnow()
    record_audit(
        actor=person,
        action="path.champion_confirmed" if accept else "path.champion_declined",
        subject=person,
    )
    db.session.flush()
    return assignment


def hr_view(assignment: PathAssignment | None) -> dict:
    """What HR may know about a person's path: the role only where HR set it, the champion path
    only where HR nominated it or the person confirmed it — nothing derived from answers."""
    if assignment is None:
        return {"role": None, "set_by_hr": False, "champion": None}
    return {
        "role": assignment.role if assignment.source == "hr" else None,
        "set_by_hr": assignment.source == "hr",
        "champion": "nominated"
        if assignment.nominated_champion
        else "confirmed"
        if assignment.champion_choice == CONFIRMED
        else None,
    }


def override_role(
    person: Person, *, role: str, nominated: bool, reason: str, actor: Person
) -> PathAssignment:
    """HR sets a person's path role and/or champion nomination; the reason goes to the audit log."""
    if role not in ROLE_KEYS[:3]:
        raise ValueError(role)
    assignment = assignment_for(person)
    before = hr_view(assignment)  # never the role the person's answers gave
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


def path_for(person: Person, levels: dict[str, int] | None, progress: dict | None = None):
    """(role key, path document data, personalised steps) or (None, None, []) without a path.
    ``progress``: the person's progress records by module, when the caller has them already."""
    if progress is None:
        from lernpfad.modules.models import ModuleProgress

        attempts = {
            module_id: (tried, tested_out)
            for module_id, tried, tested_out in db.session.execute(
                sa.select(
                    ModuleProgress.module_id,
                    ModuleProgress.quiz_attempts,
                    ModuleProgress.tested_out,
                ).where(ModuleProgress.person_id == person.id)
            )
        }
    else:
        attempts = _attempts(progress)
    role = path_role(assignment_for(person))
    path = current_documents(("path", role)).get(("path", role)) if role else None
    return _personalised(role, path, levels, attempts, module_infos())


def _attempts(progress: dict) -> dict[str, tuple[int, bool]]:
    return {mid: (row.quiz_attempts, row.tested_out) for mid, row in progress.items()}


def _personalised(role, path: dict | None, levels, attempts, modules: dict[str, ModuleInfo]):
    if role is None:
        return None, None, []
    if path is None:
        return role, None, []
    return role, path, personalise(path["steps"], levels, modules, attempts)


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
    champion_choice: str | None  # OFFERED or DECLINED: the person may still choose the path
    competencies: dict | None  # the competency model (shared content data: never change it)


def overview(person: Person) -> Overview:
    """The person's path, progress, returned tasks and due modules; the content (path, competency
    model, module titles) is read once, and per content version only its hash."""
    from lernpfad.modules import services as modules

    latest = latest_result(person)
    assignment = assignment_for(person)
    progress = modules.progress_map(person)
    role = path_role(assignment)
    documents = current_documents(("competencies", "default"), *([("path", role)] if role else []))
    infos = module_infos()
    role, path, steps = _personalised(
        role,
        documents.get(("path", role)),
        latest.levels if latest else None,
        _attempts(progress),
        infos,
    )
    model = documents.get(("competencies", "default"))
    labels = {d["key"]: d["label"] for d in model["dimensions"]} if model else {}
    summary = modules.path_progress(steps, progress, labels) if steps else None
    return Overview(
        latest,
        role,
        path,
        steps,
        progress,
        summary,
        modules.returned_submissions(person, progress),
        modules.due_assignments(person, progress, infos),
        assignment.champion_choice
        if assignment and assignment.champion_choice in (OFFERED, DECLINED)
        else None,
        model,
    )
