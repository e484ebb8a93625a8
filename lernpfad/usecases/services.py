"""Use cases of a department: who may see and edit them, creating and changing, pilots and
their measurements, similar use cases of other departments. Callers commit."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lernpfad.audit.services import record_audit
from lernpfad.auth.models import Department, Person, Role
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.mentoring.services import departments_of
from lernpfad.modules.models import Submission
from lernpfad.usecases import pilots, rules, similarity
from lernpfad.usecases.models import PilotDecision, PilotMeasurement, UseCase

# Read every department's use cases: leadership, HR and the KI-Koordination (which also sees
# the clusters of similar ones across departments, „Doppelarbeit vermeiden“).
COMPANY_VIEWERS = (Role.LEADERSHIP, Role.HR, Role.AI_COORDINATION)
DUPLICATE_VIEWERS = COMPANY_VIEWERS
FIELDS = (
    "title",
    "process",
    "problem",
    "expected_benefit",
    "kpi_name",
    "kpi_baseline",
    "kpi_target",
    "kpi_unit",
    "kpi_baseline_value",
    "kpi_target_value",
    "score_value",
    "score_feasibility",
    "score_strategic",
    "status",
)


class StatusRefused(ValueError):
    pass


class DecisionNeeded(StatusRefused):
    """A running pilot is ended by a decision (``decide``), not by the form's status."""


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


def save(use_case: UseCase, values: dict, *, today: date | None = None) -> UseCase:
    """Apply form values; a status may only move along the documented flow. Entering "pilot"
    starts the pilot (on ``pilot_started_on`` or ``today``, for ``pilot_weeks`` or six)."""
    old_status = use_case.status if use_case.id is not None else None
    new_status = values.get("status", use_case.status or "idee")
    if use_case.id is not None and not rules.status_change_allowed(use_case.status, new_status):
        raise StatusRefused(new_status)
    if pilots.needs_decision(old_status, new_status):
        raise DecisionNeeded(new_status)
    for name in FIELDS:
        if name in values:
            value = values[name]
            if name.startswith("score_"):
                value = int(value)
            elif isinstance(value, str):
                value = value.strip() or (None if name == "kpi_unit" else "")
            setattr(use_case, name, value)
    if new_status == "pilot":
        if values.get("pilot_started_on") is not None:
            use_case.pilot_started_on = values["pilot_started_on"]
        elif old_status != "pilot" or use_case.pilot_started_on is None:
            use_case.pilot_started_on = today or utcnow().date()
        use_case.pilot_weeks = (
            values.get("pilot_weeks") or use_case.pilot_weeks or (pilots.DEFAULT_WEEKS)
        )
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


def measurements(use_case: UseCase) -> list[PilotMeasurement]:
    """The pilot's readings, oldest first."""
    return readings_of([use_case.id])[use_case.id]


def readings_of(use_case_ids: list[int]) -> dict[int, list[PilotMeasurement]]:
    """use case id → its readings, oldest first (by date, then entry)."""
    found: dict[int, list] = {i: [] for i in use_case_ids}
    if use_case_ids:
        for reading in db.session.scalars(
            sa.select(PilotMeasurement)
            .where(PilotMeasurement.use_case_id.in_(use_case_ids))
            .order_by(PilotMeasurement.measured_on, PilotMeasurement.id)
        ):
            found[reading.use_case_id].append(reading)
    return found


def latest_readings() -> dict[int, float]:
    """use case id → its latest reading (by date, then entry)."""
    latest = {}
    for case_id, value in db.session.execute(
        sa.select(PilotMeasurement.use_case_id, PilotMeasurement.value).order_by(
            PilotMeasurement.measured_on, PilotMeasurement.id
        )
    ):
        latest[case_id] = value
    return latest


def record_measurement(
    use_case: UseCase, actor: Person, *, value: float, measured_on: date, note: str | None
) -> PilotMeasurement:
    """Store a reading checked by ``pilots.check_measurement``; audited."""
    reading = PilotMeasurement(
        use_case_id=use_case.id,
        measured_on=measured_on,
        value=value,
        note=(note or "").strip() or None,
        measured_by_id=actor.id,
    )
    db.session.add(reading)
    db.session.flush()
    record_audit(
        actor=actor,
        action="use_case.measured",
        use_case_id=use_case.id,
        measured_on=measured_on.isoformat(),
        value=value,
    )
    return reading


class DecisionRefused(ValueError):
    pass


def decide(
    use_case: UseCase, actor: Person, *, decision: str, reason: str, extra_weeks: int | None
) -> PilotDecision:
    """End (or extend) a running pilot: scale up → im Einsatz, stop → verworfen; audited."""
    if use_case.status != "pilot":
        raise DecisionRefused(use_case.status)
    status, weeks = pilots.decision_outcome(decision, use_case.pilot_weeks, extra_weeks)
    made = PilotDecision(
        use_case_id=use_case.id,
        decision=decision,
        reason=reason.strip(),
        extra_weeks=extra_weeks if decision == "verlaengern" else None,
        decided_by_id=actor.id,
    )
    db.session.add(made)
    use_case.status, use_case.pilot_weeks = status, weeks
    use_case.updated_at = utcnow()
    db.session.flush()
    record_audit(actor=actor, action="use_case.decided", use_case_id=use_case.id, decision=decision)
    return made


def decisions(use_case: UseCase) -> list[PilotDecision]:
    return list(
        db.session.scalars(
            sa.select(PilotDecision)
            .where(PilotDecision.use_case_id == use_case.id)
            .order_by(PilotDecision.decided_at, PilotDecision.id)
        )
    )


@dataclass(frozen=True)
class Pilot:
    """What the use-case page and leadership's view show of a pilot."""

    started_on: date | None
    ends_on: date | None
    decision_due: bool
    readings: list[PilotMeasurement]
    latest: float | None
    effect: pilots.Effect | None
    chart: pilots.PilotChart | None


def pilot_of(use_case: UseCase, today: date, readings: list | None = None) -> Pilot:
    """The pilot's dates, readings, effect and chart (the chart from the first reading on)."""
    readings = measurements(use_case) if readings is None else readings
    started = use_case.pilot_started_on
    ends = pilots.pilot_end(started, use_case.pilot_weeks) if started else None
    latest = readings[-1].value if readings else None
    chart = None
    if readings and started:
        chart = pilots.pilot_chart(
            started,
            ends,
            [(r.measured_on, r.value) for r in readings],
            use_case.kpi_baseline_value,
            use_case.kpi_target_value,
        )
    return Pilot(
        started_on=started,
        ends_on=ends,
        decision_due=use_case.status == "pilot"
        and pilots.decision_due(started, use_case.pilot_weeks, today),
        readings=readings,
        latest=latest,
        effect=pilots.effect(
            use_case.kpi_baseline_value, use_case.kpi_target_value, latest, use_case.kpi_unit
        ),
        chart=chart,
    )


@dataclass(frozen=True)
class PipelineRow:
    use_case: UseCase
    pilot: Pilot
    hand_ins: int
    by_module: list[tuple[str, int]]  # module id, hand-ins (only at or above the minimum)
    other_hand_ins: int


def pipeline(min_group: int, today: date) -> list[PipelineRow]:
    """Pilots and use cases in use with their measured effect and the practical-task hand-ins
    linked to them (counts only; per module only where at least ``min_group``)."""
    cases = rules.rank(
        list(
            db.session.scalars(
                sa.select(UseCase)
                .options(joinedload(UseCase.department))
                .where(UseCase.status.in_(("pilot", "im_einsatz")))
            )
        )
    )
    ids = [c.id for c in cases]
    readings = readings_of(ids)
    hand_ins: dict[int, dict[str, int]] = {i: {} for i in ids}
    if ids:
        for case_id, module_id, count in db.session.execute(
            sa.select(Submission.use_case_id, Submission.module_id, sa.func.count())
            .where(Submission.use_case_id.in_(ids), Submission.status != "returned")
            .group_by(Submission.use_case_id, Submission.module_id)
        ):
            hand_ins[case_id][module_id] = count
    rows = []
    for case in cases:
        named, rest = pilots.contributions(hand_ins[case.id], min_group)
        rows.append(
            PipelineRow(
                case,
                pilot_of(case, today, readings[case.id]),
                sum(hand_ins[case.id].values()),
                named,
                rest,
            )
        )
    return rows


def similar_use_cases(
    title: str,
    process: str,
    problem: str,
    *,
    department_id: int | None,
    exclude_id: int | None = None,
    limit: int = 5,
) -> list[tuple[UseCase, float]]:
    """Use cases of other departments like this one (``similarity``), most similar first."""
    wanted = similarity.profile(title, process, problem)
    if not wanted.subject and not wanted.process:
        return []
    query = sa.select(UseCase).options(joinedload(UseCase.department))
    if department_id is not None:
        query = query.where(UseCase.department_id != department_id)
    if exclude_id is not None:
        query = query.where(UseCase.id != exclude_id)
    found = []
    for case in db.session.scalars(query):
        score = similarity.score(wanted, similarity.profile(case.title, case.process, case.problem))
        if score >= similarity.THRESHOLD:
            found.append((case, score))
    found.sort(key=lambda pair: (-pair[1], pair[0].title))
    return found[:limit]


def duplicate_clusters() -> list[list[UseCase]]:
    """Groups of similar use cases spanning two or more departments, rejected ones left out."""
    cases = list(
        db.session.scalars(
            sa.select(UseCase)
            .options(joinedload(UseCase.department))
            .where(UseCase.status != "verworfen")
            .order_by(UseCase.id)
        )
    )
    by_id = {c.id: c for c in cases}
    groups = similarity.clusters(
        [(c.id, c.department_id, similarity.profile(c.title, c.process, c.problem)) for c in cases]
    )
    return [[by_id[i] for i in group] for group in groups]
