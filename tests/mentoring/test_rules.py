"""Who may review whose practical task."""

import pytest

from lernpfad.mentoring.rules import may_review

BASE = dict(
    reviewer_id=1,
    reviewer_is_champion=True,
    reviewer_active=True,
    reviewer_departments={10, 20},
    learner_id=2,
    learner_department=10,
)


@pytest.mark.parametrize(
    ("change", "allowed"),
    [
        ({}, True),
        ({"learner_department": 20}, True),  # an assigned department
        ({"learner_department": 30}, False),  # not one of theirs
        ({"learner_department": None}, False),  # a person without department
        ({"learner_id": 1}, False),  # never one's own hand-in
        ({"reviewer_is_champion": False}, False),
        ({"reviewer_active": False}, False),
        ({"reviewer_departments": set()}, False),
        ({"learner_active": False}, False),  # a leaver's hand-in is not reviewed any more
    ],
)
def test_may_review(change, allowed):
    assert may_review(**{**BASE, **change}) is allowed
