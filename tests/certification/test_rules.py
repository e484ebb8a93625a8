"""Certification rules, table-driven: a candidate against the requirements, who may certify and
review, which use cases count, certificate status, renewal."""

from datetime import UTC, datetime

import pytest

from lernpfad.certification import rules
from lernpfad.certification.rules import Facts

REQUIREMENTS = {
    "path": {"role": "champion"},
    "exam": {"questions": 20, "pass_percent": 80},
    "projects": {"count": 2},
    "mentoring": {"sessions": 5, "mentees": 2},
    "approval": {},
}
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
ALL_DONE = Facts(
    on_path=True,
    path_done=12,
    path_total=12,
    exam_passed=True,
    projects_approved=2,
    sessions=5,
    mentees=2,
)


def summary(facts: Facts) -> list[tuple]:
    return [(c.key, c.done, c.have, c.need, c.missing) for c in rules.evaluate(REQUIREMENTS, facts)]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (
            Facts(on_path=False, path_total=12, exam_attempts_left=3),
            [
                ("path", False, 0, 12, "path_not_chosen"),
                ("exam", False, 0, 1, "exam_open"),
                ("projects", False, 0, 2, "projects_missing"),
                ("mentoring", False, 0, 5, "sessions_missing"),
                ("approval", False, 0, 1, "approval_blocked"),
            ],
        ),
        (
            Facts(
                on_path=True,
                path_done=12,
                path_total=12,
                exam_passed=True,
                projects_approved=1,
                projects_waiting=1,
                sessions=3,
                mentees=1,
            ),
            [
                ("path", True, 12, 12, None),
                ("exam", True, 1, 1, None),
                ("projects", False, 1, 2, "projects_missing"),
                ("mentoring", False, 3, 5, "sessions_missing"),
                ("approval", False, 0, 1, "approval_blocked"),
            ],
        ),
        (  # five sessions, all with the same colleague: the second mentee is missing
            Facts(**{**ALL_DONE.__dict__, "mentees": 1}),
            [
                ("path", True, 12, 12, None),
                ("exam", True, 1, 1, None),
                ("projects", True, 2, 2, None),
                ("mentoring", False, 5, 5, "mentees_missing"),
                ("approval", False, 0, 1, "approval_blocked"),
            ],
        ),
        (
            ALL_DONE,
            [
                ("path", True, 12, 12, None),
                ("exam", True, 1, 1, None),
                ("projects", True, 2, 2, None),
                ("mentoring", True, 5, 5, None),
                ("approval", False, 0, 1, "approval_waiting"),
            ],
        ),
        (
            Facts(**{**ALL_DONE.__dict__, "certificate": "valid", "projects_approved": 3}),
            [
                ("path", True, 12, 12, None),
                ("exam", True, 1, 1, None),
                ("projects", True, 2, 2, None),  # more than needed still shows "2 of 2"
                ("mentoring", True, 5, 5, None),
                ("approval", True, 1, 1, None),
            ],
        ),
        (  # an expired or revoked certificate needs a new approval
            Facts(**{**ALL_DONE.__dict__, "certificate": "revoked"}),
            [
                ("path", True, 12, 12, None),
                ("exam", True, 1, 1, None),
                ("projects", True, 2, 2, None),
                ("mentoring", True, 5, 5, None),
                ("approval", False, 0, 1, "approval_waiting"),
            ],
        ),
        (
            Facts(on_path=True, path_done=3, path_total=12, exam_next_at=NOW),
            [
                ("path", False, 3, 12, "path_open"),
                ("exam", False, 0, 1, "exam_cooldown"),
                ("projects", False, 0, 2, "projects_missing"),
                ("mentoring", False, 0, 5, "sessions_missing"),
                ("approval", False, 0, 1, "approval_blocked"),
            ],
        ),
    ],
)
def test_evaluate(facts, expected):
    assert summary(facts) == expected


def test_requirements_are_data():
    """A company that drops the projects and asks for three sessions gets that checklist."""
    checks = rules.evaluate(
        {"exam": {}, "mentoring": {"sessions": 3, "mentees": 1}, "approval": {}},
        Facts(on_path=True, exam_passed=True, sessions=3, mentees=1),
    )
    assert [(c.key, c.done) for c in checks] == [
        ("exam", True),
        ("mentoring", True),
        ("approval", False),
    ]
    assert rules.ready_for_approval(checks)


@pytest.mark.parametrize(
    ("facts", "ready"),
    [
        (ALL_DONE, True),
        (Facts(on_path=True), False),
        (Facts(**{**ALL_DONE.__dict__, "certificate": "valid"}), False),
    ],
)
def test_ready_for_approval(facts, ready):
    assert rules.ready_for_approval(rules.evaluate(REQUIREMENTS, facts)) is ready


@pytest.mark.parametrize(
    ("certifier", "candidate", "is_hr", "has_right", "certified", "problem"),
    [
        (1, 2, True, False, False, None),  # HR
        (1, 1, True, False, False, "own"),  # never oneself, HR included
        (1, 2, False, True, True, None),  # a certified champion with the right
        (1, 2, False, True, False, "not_certifier"),  # the right without a valid certificate
        (1, 2, False, False, True, "not_certifier"),  # certified, but HR gave no right
    ],
)
def test_certify_problem(certifier, candidate, is_hr, has_right, certified, problem):
    assert (
        rules.certify_problem(
            certifier_id=certifier,
            candidate_id=candidate,
            is_hr=is_hr,
            has_right=has_right,
            certifier_certified=certified,
        )
        == problem
    )


@pytest.mark.parametrize(
    ("reviewer", "author", "co_authors", "may", "problem"),
    [
        (1, 2, set(), True, None),
        (2, 2, set(), True, "own"),
        (1, 2, {1, 3}, True, "co_author"),
        (1, 2, set(), False, "not_certifier"),
    ],
)
def test_review_project_problem(reviewer, author, co_authors, may, problem):
    assert (
        rules.review_project_problem(
            reviewer_id=reviewer, author_id=author, co_authors=co_authors, may_certify=may
        )
        == problem
    )


@pytest.mark.parametrize(
    ("status", "created_by", "linked", "looks_after", "problem"),
    [
        ("pilot", 7, False, False, None),  # registered it
        ("im_einsatz", None, True, False, None),  # handed in work on it
        ("pilot", None, False, True, None),  # looks after its department
        ("pilot", 8, False, False, "use_case_not_theirs"),
        ("idee", 7, True, True, "use_case_status"),
        ("verworfen", 7, False, False, "use_case_status"),
    ],
)
def test_project_use_case_problem(status, created_by, linked, looks_after, problem):
    assert (
        rules.project_use_case_problem(
            status=status,
            created_by_id=created_by,
            person_id=7,
            linked=linked,
            looks_after_department=looks_after,
        )
        == problem
    )


@pytest.mark.parametrize(
    ("revoked", "until", "status"),
    [
        (None, datetime(2027, 1, 1, tzinfo=UTC), "valid"),
        (None, NOW, "expired"),  # the last moment has passed
        (NOW, datetime(2027, 1, 1, tzinfo=UTC), "revoked"),
        (NOW, datetime(2020, 1, 1, tzinfo=UTC), "revoked"),  # revoked wins over expired
    ],
)
def test_certificate_status(revoked, until, status):
    assert rules.certificate_status(revoked, until, NOW) == status


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (datetime(2026, 1, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2026, 12, 6, tzinfo=UTC), 12, datetime(2027, 12, 6, tzinfo=UTC)),
        (datetime(2028, 2, 29, tzinfo=UTC), 12, datetime(2029, 2, 28, tzinfo=UTC)),
        (datetime(2026, 6, 15, tzinfo=UTC), -6, datetime(2025, 12, 15, tzinfo=UTC)),
    ],
)
def test_add_months(start, months, end):
    assert rules.add_months(start, months) == end


@pytest.mark.parametrize(
    ("refreshed", "recent", "problems"),
    [
        ({"a", "b"}, 2, []),
        ({"a"}, 2, [("refresher_missing", {"modules": ["b"]})]),
        ({"a", "b"}, 1, [("recent_sessions_missing", {"missing": 1})]),
        (
            set(),
            0,
            [
                ("refresher_missing", {"modules": ["a", "b"]}),
                ("recent_sessions_missing", {"missing": 2}),
            ],
        ),
    ],
)
def test_renewal_problems(refreshed, recent, problems):
    assert (
        rules.renewal_problems(
            refresher_modules=["a", "b"],
            refreshed=refreshed,
            recent_sessions=recent,
            need_sessions=2,
        )
        == problems
    )
