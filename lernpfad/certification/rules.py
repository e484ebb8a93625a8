"""Certification rules as pure functions: a candidate against the requirements, who may certify,
which use cases a project may be about, a certificate's status and its renewal."""

from dataclasses import dataclass, field
from datetime import datetime

REQUIREMENT_ORDER = ("path", "exam", "projects", "mentoring", "approval")
PROJECT_USE_CASE_STATUSES = ("pilot", "im_einsatz")


@dataclass(frozen=True)
class Facts:
    """What the candidate has done, gathered by certification.services.facts_of."""

    on_path: bool  # follows the champion path
    path_done: int = 0  # required modules of that path completed …
    path_total: int = 0  # … of so many
    exam_passed: bool = False
    exam_attempts_left: int = 0
    exam_next_at: datetime | None = None  # cooldown: the next attempt from then on
    projects_approved: int = 0  # approved projects on different use cases
    projects_waiting: int = 0
    sessions: int = 0  # confirmed mentoring sessions …
    mentees: int = 0  # … with so many different colleagues
    certificate: str | None = None  # status of the latest certificate, if any


@dataclass(frozen=True)
class Check:
    key: str  # a requirement: path | exam | projects | mentoring | approval
    done: bool
    have: int
    need: int
    missing: str | None = None  # why not done, a message key (certification.routes)
    params: dict = field(default_factory=dict)


def evaluate(requirements: dict, facts: Facts) -> list[Check]:
    """Every requirement of ``requirements`` (the "requirements" block of champion.yaml) with
    done / missing / what exactly is missing, in a fixed order."""
    checks = []
    for key in REQUIREMENT_ORDER:
        if key not in requirements:
            continue
        spec = requirements[key] or {}
        if key == "path":
            checks.append(_path(facts))
        elif key == "exam":
            checks.append(_exam(facts))
        elif key == "projects":
            need = int(spec.get("count", 2))
            have = min(facts.projects_approved, need)
            checks.append(
                Check(
                    key,
                    have >= need,
                    have,
                    need,
                    None if have >= need else "projects_missing",
                    {"missing": need - have, "waiting": facts.projects_waiting},
                )
            )
        elif key == "mentoring":
            sessions, mentees = int(spec.get("sessions", 5)), int(spec.get("mentees", 2))
            done = facts.sessions >= sessions and facts.mentees >= mentees
            missing = None
            if facts.sessions < sessions:
                missing = "sessions_missing"
            elif facts.mentees < mentees:
                missing = "mentees_missing"
            checks.append(
                Check(
                    key,
                    done,
                    min(facts.sessions, sessions),
                    sessions,
                    missing,
                    {
                        "sessions": facts.sessions,
                        "need_sessions": sessions,
                        "mentees": facts.mentees,
                        "need_mentees": mentees,
                        "missing": max(0, sessions - facts.sessions),
                    },
                )
            )
    others_done = all(check.done for check in checks)
    if "approval" in requirements:
        approved = facts.certificate == "valid"
        missing = None if approved else ("approval_waiting" if others_done else "approval_blocked")
        checks.append(Check("approval", approved, int(approved), 1, missing))
    return checks


def _path(facts: Facts) -> Check:
    if not facts.on_path:
        return Check("path", False, 0, max(facts.path_total, 1), "path_not_chosen")
    done = facts.path_total > 0 and facts.path_done >= facts.path_total
    return Check(
        "path",
        done,
        facts.path_done,
        facts.path_total,
        None if done else "path_open",
        {"missing": facts.path_total - facts.path_done},
    )


def _exam(facts: Facts) -> Check:
    if facts.exam_passed:
        return Check("exam", True, 1, 1)
    if facts.exam_next_at is not None:
        return Check("exam", False, 0, 1, "exam_cooldown", {"next_at": facts.exam_next_at})
    return Check("exam", False, 0, 1, "exam_open", {"attempts_left": facts.exam_attempts_left})


def ready_for_approval(checks: list[Check]) -> bool:
    """Everything but the final approval is done (and there is no valid certificate yet)."""
    return all(c.done for c in checks if c.key != "approval") and any(
        c.key == "approval" and not c.done for c in checks
    )


def certify_problem(
    *, certifier_id: int, candidate_id: int, is_hr: bool, has_right: bool, certifier_certified: bool
) -> str | None:
    """Why this person may not certify this candidate (a message key), or None.
    Certifiers: HR, or a certified champion whom HR gave the right; never oneself."""
    if certifier_id == candidate_id:
        return "own"
    if is_hr:
        return None
    if has_right and certifier_certified:
        return None
    return "not_certifier"


def review_project_problem(
    *, reviewer_id: int, author_id: int, co_authors: set[int], may_certify: bool
) -> str | None:
    """Why this person may not approve or return this project, or None: only certifiers, never
    for their own project or one they co-authored (created its use case or handed in work on it)."""
    if reviewer_id == author_id:
        return "own"
    if not may_certify:
        return "not_certifier"
    if reviewer_id in co_authors:
        return "co_author"
    return None


def project_use_case_problem(
    *,
    status: str,
    created_by_id: int | None,
    person_id: int,
    linked: bool,
    looks_after_department: bool,
) -> str | None:
    """A project is about a use case in status Pilot or im Einsatz to which the candidate
    contributed: they registered it, handed in work on it, or look after its department."""
    if status not in PROJECT_USE_CASE_STATUSES:
        return "use_case_status"
    if created_by_id == person_id or linked or looks_after_department:
        return None
    return "use_case_not_theirs"


def certificate_status(revoked_at: datetime | None, valid_until: datetime, now: datetime) -> str:
    """ "revoked", "expired" or "valid"."""
    if revoked_at is not None:
        return "revoked"
    return "expired" if valid_until <= now else "valid"


def add_months(moment: datetime, months: int) -> datetime:
    """The same day ``months`` later (the last day of a shorter month)."""
    import calendar

    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def renewal_problems(
    *,
    refresher_modules: list[str],
    refreshed: set[str],
    recent_sessions: int,
    need_sessions: int,
) -> list[tuple[str, dict]]:
    """What is missing for a renewal: each refresher module's quiz passed again within the window
    (``refreshed``), and ``need_sessions`` confirmed sessions within it."""
    problems = []
    missing_modules = [m for m in refresher_modules if m not in refreshed]
    if missing_modules:
        problems.append(("refresher_missing", {"modules": missing_modules}))
    if recent_sessions < need_sessions:
        problems.append(("recent_sessions_missing", {"missing": need_sessions - recent_sessions}))
    return problems
