"""Certification: the requirements (data), a candidate's facts, projects, approval, issuing,
renewal and revocation. Callers commit."""

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from lernpfad.audit.services import record_audit
from lernpfad.auth.models import Person, PersonRole, Role
from lernpfad.certification import rules
from lernpfad.certification.models import Certificate, CertifierRight, Project
from lernpfad.content.services import current_document
from lernpfad.db import utcnow
from lernpfad.extensions import db

DEFAULT_REQUIREMENTS = {
    "id": "ki-champion",
    "title": "Zertifizierte:r KI-Champion",
    "validity_months": 12,
    "requirements": {
        "path": {"role": "champion"},
        "exam": {
            "questions": 20,
            "pass_percent": 80,
            "minutes": 30,
            "attempts": 3,
            "cooldown_days": 7,
        },
        "projects": {"count": 2},
        "mentoring": {"sessions": 5, "mentees": 2},
        "approval": {},
    },
    "renewal": {"modules": [], "sessions": 2, "within_months": 6},
}


def requirements() -> dict:
    """The certification requirements from content/certification/champion.yaml (as imported),
    or the documented defaults while none is imported."""
    document = current_document("certification")
    return document.data if document is not None else DEFAULT_REQUIREMENTS


def new_code() -> str:
    """A verification code: 32 random bytes (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


def lock_person(person_id: int) -> None:
    """A write on the person's row serialises parallel requests about them (a row lock on
    PostgreSQL, the write lock on SQLite): a check that follows sees the other's insert."""
    db.session.execute(
        sa.update(Person)
        .where(Person.id == person_id)
        .values(created_at=Person.created_at)
        .execution_options(synchronize_session=False)
    )


def certificates_of(person_id: int) -> list[Certificate]:
    return list(
        db.session.scalars(
            sa.select(Certificate)
            .where(Certificate.person_id == person_id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def by_code(code: str) -> Certificate | None:
    return db.session.scalar(sa.select(Certificate).where(Certificate.code == code))


def status(certificate: Certificate, now: datetime | None = None) -> str:
    """ "revoked", "expired" or "valid" (the verification page shows widerrufen / abgelaufen /
    gültig)."""
    return rules.certificate_status(
        certificate.revoked_at, certificate.valid_until, now or utcnow()
    )


# --- a candidate's facts ---------------------------------------------------------------------


def is_candidate(person: Person) -> bool:
    """On the champion path (nominated or taken up) or holding the champion role."""
    from lernpfad.paths.services import assignment_for, path_role

    return person.has_role(Role.CHAMPION) or path_role(assignment_for(person)) == "champion"


def _path_counts(person: Person) -> tuple[int, int]:
    """(completed, total) required modules of the champion path, personalised as on the path
    page: modules the person tested out of count as done."""
    from lernpfad.assessments.services import latest_result
    from lernpfad.content.services import current_document
    from lernpfad.modules.models import ModuleProgress
    from lernpfad.paths.services import module_infos, personalise

    document = current_document("path", "champion")
    if document is None:
        return 0, 0
    latest = latest_result(person)
    progress = {
        row.module_id: row
        for row in db.session.scalars(
            sa.select(ModuleProgress).where(ModuleProgress.person_id == person.id)
        )
    }
    steps = personalise(
        document.data["steps"],
        latest.levels if latest else None,
        module_infos(),
        {mid: (row.quiz_attempts, row.tested_out) for mid, row in progress.items()},
    )
    required = [s for s in steps if s.required and s.module is not None]
    done = sum(
        1
        for s in required
        if (s.module_id in progress and progress[s.module_id].state == "abgeschlossen")
        or s.state == "mastered"
    )
    return done, len(required)


def facts_of(person: Person, now: datetime | None = None) -> rules.Facts:
    """Everything the checklist needs about one candidate (no answers, no hand-in texts)."""
    from lernpfad.certification.exam.services import exam_status
    from lernpfad.mentoring.models import MentoringSession

    now = now or utcnow()
    path_done, path_total = _path_counts(person)
    exam = exam_status(person, now)
    approved_use_cases = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Project.use_case_id))).where(
            Project.person_id == person.id, Project.status == "approved"
        )
    )
    waiting = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Project)
        .where(Project.person_id == person.id, Project.status == "submitted")
    )
    sessions = db.session.execute(
        sa.select(MentoringSession.mentee_id).where(
            MentoringSession.champion_id == person.id, MentoringSession.status == "confirmed"
        )
    ).all()
    latest = certificates_of(person.id)
    return rules.Facts(
        on_path=is_candidate(person),
        path_done=path_done,
        path_total=path_total,
        exam_passed=exam.passed,
        exam_attempts_left=exam.attempts_left,
        exam_next_at=exam.next_attempt_at,
        projects_approved=approved_use_cases or 0,
        projects_waiting=waiting or 0,
        sessions=len(sessions),
        mentees=len({mentee for (mentee,) in sessions}),
        certificate=status(latest[0], now) if latest else None,
    )


def checklist(person: Person, now: datetime | None = None) -> list[rules.Check]:
    return rules.evaluate(requirements()["requirements"], facts_of(person, now))


def candidates() -> list[Person]:
    """Everyone on the way to the certificate or holding one: active people with the champion
    role or on the champion path."""
    from lernpfad.paths.models import PathAssignment

    on_path = sa.select(PathAssignment.person_id).where(
        sa.or_(
            PathAssignment.nominated_champion,
            PathAssignment.champion_choice == "confirmed",
        )
    )
    with_role = sa.select(PersonRole.person_id).where(PersonRole.role == Role.CHAMPION.value)
    return list(
        db.session.scalars(
            sa.select(Person)
            .where(Person.active, sa.or_(Person.id.in_(on_path), Person.id.in_(with_role)))
            .order_by(Person.name)
        )
    )


# --- who certifies ---------------------------------------------------------------------------


def has_certifier_right(person: Person) -> bool:
    return (
        db.session.scalar(sa.select(CertifierRight.id).where(CertifierRight.person_id == person.id))
        is not None
    )


def may_certify(person: Person) -> bool:
    """HR, or a champion with a valid certificate whom HR gave the certifier right."""
    if person.has_role(Role.HR):
        return True
    certificates = certificates_of(person.id)
    return has_certifier_right(person) and any(status(c) == "valid" for c in certificates)


def certify_problem(certifier: Person, candidate: Person) -> str | None:
    return rules.certify_problem(
        certifier_id=certifier.id,
        candidate_id=candidate.id,
        is_hr=certifier.has_role(Role.HR),
        has_right=has_certifier_right(certifier),
        certifier_certified=any(status(c) == "valid" for c in certificates_of(certifier.id)),
    )


class CertificationRefused(ValueError):
    """The message key (certification.routes.REFUSED) says why."""


def grant_certifier_right(person: Person, actor: Person) -> CertifierRight:
    """HR gives a certified champion the right to certify others (audited)."""
    if not any(status(c) == "valid" for c in certificates_of(person.id)):
        raise CertificationRefused("certifier_needs_certificate")
    if actor.id == person.id:
        raise CertificationRefused("own")
    if has_certifier_right(person):
        raise CertificationRefused("already_certifier")
    right = CertifierRight(person_id=person.id, granted_by_id=actor.id)
    db.session.add(right)
    record_audit(actor=actor, action="certification.certifier_granted", subject=person)
    db.session.flush()
    return right


def remove_certifier_right(person: Person, actor: Person) -> None:
    removed = db.session.execute(
        sa.delete(CertifierRight).where(CertifierRight.person_id == person.id)
    ).rowcount
    if not removed:
        raise CertificationRefused("not_certifier")
    record_audit(actor=actor, action="certification.certifier_removed", subject=person)
    db.session.flush()


def certifiers() -> list[Person]:
    return list(
        db.session.scalars(
            sa.select(Person)
            .join(CertifierRight, CertifierRight.person_id == Person.id)
            .order_by(Person.name)
        )
    )


# --- projects --------------------------------------------------------------------------------


def project_use_cases(person: Person) -> list:
    """Use cases in status Pilot or im Einsatz the candidate contributed to (registered it, handed
    in work on it, or looks after its department) — the choices of the project form."""
    from lernpfad.mentoring.services import departments_of
    from lernpfad.modules.models import Submission
    from lernpfad.usecases.models import UseCase

    linked = set(
        db.session.scalars(
            sa.select(Submission.use_case_id).where(
                Submission.person_id == person.id, Submission.use_case_id.is_not(None)
            )
        )
    )
    looked_after = departments_of(person) | ({person.department_id} - {None})
    cases = db.session.scalars(
        sa.select(UseCase)
        .where(UseCase.status.in_(rules.PROJECT_USE_CASE_STATUSES))
        .order_by(UseCase.title)
    )
    return [
        case
        for case in cases
        if rules.project_use_case_problem(
            status=case.status,
            created_by_id=case.created_by_id,
            person_id=person.id,
            linked=case.id in linked,
            looks_after_department=case.department_id in looked_after,
        )
        is None
    ]


def submit_project(person: Person, *, use_case_id: int, values: dict, project=None) -> Project:
    """Hand in a project report (or a returned one again). Raises CertificationRefused."""
    if use_case_id not in {case.id for case in project_use_cases(person)}:
        raise CertificationRefused("use_case_not_theirs")
    approved_on = set(
        db.session.scalars(
            sa.select(Project.use_case_id).where(
                Project.person_id == person.id,
                Project.status == "approved",
                Project.id != (project.id if project else -1),
            )
        )
    )
    if use_case_id in approved_on:
        raise CertificationRefused("use_case_done")
    if project is None:
        project = Project(person_id=person.id)
        db.session.add(project)
    elif project.status != "returned":
        raise CertificationRefused("project_not_returned")
    project.use_case_id = use_case_id
    for name in ("title", "what_was_done", "baseline", "result", "effect"):
        setattr(project, name, values[name].strip())
    project.status = "submitted"
    project.submitted_at = utcnow()
    db.session.flush()
    return project


def co_authors(project: Project) -> set[int]:
    """Who contributed to the project's use case: who registered it, who handed in work on it."""
    from lernpfad.modules.models import Submission
    from lernpfad.usecases.models import UseCase

    if project.use_case_id is None:
        return set()
    case = db.session.get(UseCase, project.use_case_id)
    linked = set(
        db.session.scalars(
            sa.select(Submission.person_id).where(Submission.use_case_id == project.use_case_id)
        )
    )
    return linked | ({case.created_by_id} - {None} if case else set())


def review_project(project: Project, reviewer: Person, *, approve: bool, feedback: str) -> None:
    """A certifier approves or returns a project (feedback needed when returning); claimed with a
    conditional update, so of two certifiers at once one decides. Audited."""
    problem = rules.review_project_problem(
        reviewer_id=reviewer.id,
        author_id=project.person_id,
        co_authors=co_authors(project),
        may_certify=may_certify(reviewer),
    )
    if problem:
        raise CertificationRefused(problem)
    if not approve and len(feedback.strip()) < 10:
        raise CertificationRefused("feedback_needed")
    claimed = db.session.execute(
        sa.update(Project)
        .where(Project.id == project.id, Project.status == "submitted")
        .values(
            status="approved" if approve else "returned",
            reviewed_at=utcnow(),
            reviewer_id=reviewer.id,
            feedback=feedback.strip() or None,
        )
    ).rowcount
    if claimed != 1:
        raise CertificationRefused("project_reviewed")
    db.session.refresh(project)
    record_audit(
        actor=reviewer,
        action="certification.project_approved" if approve else "certification.project_returned",
        subject=project.person,
        project=project.id,
    )
    db.session.flush()


# --- the certificate -------------------------------------------------------------------------


def issue(candidate: Person, certifier: Person, now: datetime | None = None) -> Certificate:
    """The final approval: every other requirement must be met; issues the certificate
    (valid VALIDITY months, from the requirements data) and audits the approval."""
    now = now or utcnow()
    problem = certify_problem(certifier, candidate)
    if problem:
        raise CertificationRefused(problem)
    lock_person(candidate.id)  # a double click issues one certificate
    checks = checklist(candidate, now)
    if not rules.ready_for_approval(checks):
        raise CertificationRefused("not_ready")
    data = requirements()
    certificate = Certificate(
        person_id=candidate.id,
        code=new_code(),
        title=data["title"],
        issued_at=now,
        valid_from=now,
        valid_until=rules.add_months(now, int(data.get("validity_months", 12))),
        approved_by_id=certifier.id,
        requirements=_met(data["requirements"], checks),
    )
    db.session.add(certificate)
    db.session.flush()
    record_audit(
        actor=certifier,
        action="certification.issued",
        subject=candidate,
        certificate=certificate.id,
    )
    return certificate


def _met(spec: dict, checks: list[rules.Check]) -> dict:
    """What the certificate says was met (shown on the PDF): plain numbers, no personal data."""
    return {
        "path": "champion",
        "exam_pass_percent": spec.get("exam", {}).get("pass_percent", 80),
        "projects": spec.get("projects", {}).get("count", 2),
        "sessions": spec.get("mentoring", {}).get("sessions", 5),
        "mentees": spec.get("mentoring", {}).get("mentees", 2),
        "checks": [c.key for c in checks if c.done or c.key == "approval"],
    }


def renewal_problems(person: Person, now: datetime | None = None) -> list[tuple[str, dict]]:
    """What is missing before a certificate can be renewed (empty: ready)."""
    from lernpfad.mentoring.models import MentoringSession
    from lernpfad.modules.models import QuizAttempt

    now = now or utcnow()
    renewal = requirements().get("renewal") or {}
    since = rules.add_months(now, -int(renewal.get("within_months", 6)))
    modules = list(renewal.get("modules") or [])
    refreshed = set(
        db.session.scalars(
            sa.select(QuizAttempt.module_id).where(
                QuizAttempt.person_id == person.id,
                QuizAttempt.passed,
                QuizAttempt.at >= since,
                QuizAttempt.module_id.in_(modules or [""]),
            )
        )
    )
    recent = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(MentoringSession)
        .where(
            MentoringSession.champion_id == person.id,
            MentoringSession.status == "confirmed",
            MentoringSession.held_on >= since.date(),
        )
    )
    return rules.renewal_problems(
        refresher_modules=modules,
        refreshed=refreshed,
        recent_sessions=recent or 0,
        need_sessions=int(renewal.get("sessions", 2)),
    )


def renew(candidate: Person, certifier: Person, now: datetime | None = None) -> Certificate:
    """A certifier renews the person's latest certificate (valid or expired, not revoked): a new
    one, valid from the end of the current one (or now, if that has passed). Once: a renewal
    that has not started yet is not renewed again, and a revoked certificate is not renewed (an
    older one does not stand in for it). Audited."""
    now = now or utcnow()
    problem = certify_problem(certifier, candidate)
    if problem:
        raise CertificationRefused(problem)
    lock_person(candidate.id)  # a double click renews once
    previous = next(iter(certificates_of(candidate.id)), None)
    if previous is None:
        raise CertificationRefused("nothing_to_renew")
    if previous.revoked_at is not None:
        raise CertificationRefused("already_revoked")
    if previous.valid_from > now:
        raise CertificationRefused("already_renewed")
    if renewal_problems(candidate, now):
        raise CertificationRefused("renewal_not_ready")
    start = max(previous.valid_until, now)
    data = requirements()
    certificate = Certificate(
        person_id=candidate.id,
        code=new_code(),
        title=previous.title,
        issued_at=now,
        valid_from=start,
        valid_until=rules.add_months(start, int(data.get("validity_months", 12))),
        approved_by_id=certifier.id,
        requirements={**previous.requirements, "renewal": True},
        renewal_of_id=previous.id,
    )
    db.session.add(certificate)
    db.session.flush()
    record_audit(
        actor=certifier,
        action="certification.renewed",
        subject=candidate,
        certificate=certificate.id,
    )
    return certificate


def revoke(
    certificate: Certificate, actor: Person, reason: str, now: datetime | None = None
) -> None:
    """HR revokes a certificate with a reason (audited); the verification page, the PDF and the
    credential status show it from then on."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise CertificationRefused("reason_needed")
    if not actor.has_role(Role.HR):
        raise CertificationRefused("not_hr")
    if certificate.revoked_at is not None:
        raise CertificationRefused("already_revoked")
    # The whole certification is revoked: with a renewal, the certificate it renews (still
    # valid until the renewal starts) as well, so no code of the person stays "gültig"; expired
    # ones stay as they were.
    now = now or utcnow()
    chain = [
        c.id
        for c in certificates_of(certificate.person_id)
        if c.revoked_at is None and (c.id == certificate.id or c.valid_until > now)
    ]
    revoked = db.session.execute(
        sa.update(Certificate)
        .where(Certificate.id.in_(chain), Certificate.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by_id=actor.id, revocation_reason=reason[:1000])
        .execution_options(synchronize_session=False)
    ).rowcount
    if revoked == 0:
        raise CertificationRefused("already_revoked")  # revoked in parallel
    for row in certificates_of(certificate.person_id):
        db.session.refresh(row)
    record_audit(
        actor=actor,
        action="certification.revoked",
        subject=certificate.person,
        certificate=certificate.id,
        certificates=chain,
        reason=reason[:1000],
    )


@dataclass(frozen=True)
class _Expiring:
    person: Person
    certificate_id: int
    title: str
    valid_until: date
    link: str | None = "certification.mine"
    link_args: dict = field(default_factory=dict)


def expiring_certificates(today: date, until: date) -> list:
    """For the scheduler's certificates job: valid certificates whose last day lies between
    ``today`` and ``until`` (company time zone), newest per person only."""
    from lernpfad.jobs.services import local

    start = datetime.combine(today, time.min, tzinfo=UTC) - timedelta(days=1)
    end = datetime.combine(until, time.max, tzinfo=UTC) + timedelta(days=1)
    found = []
    for certificate in db.session.scalars(
        sa.select(Certificate).where(
            Certificate.revoked_at.is_(None),
            Certificate.valid_until >= start,
            Certificate.valid_until <= end,
        )
    ):
        last_day = local(certificate.valid_until).date()
        newer = any(
            c.id != certificate.id
            and c.valid_until > certificate.valid_until
            and c.revoked_at is None
            for c in certificates_of(certificate.person_id)
        )
        if today <= last_day <= until and not newer:
            found.append(_Expiring(certificate.person, certificate.id, certificate.title, last_day))
    return found
