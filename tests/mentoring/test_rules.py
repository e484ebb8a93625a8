"""Whom a champion looks after (and so reviews and mentors), and whom HR can assign them."""

import pytest

from lernpfad.mentoring.rules import looks_after, mentee_problem

# Champion 1 looks after departments 10 and 20 (own and assigned) and, individually, person 7.
LOOKS = dict(
    champion_id=1,
    is_champion=True,
    champion_active=True,
    departments={10, 20},
    mentees={7},
    person_id=2,
    person_department=10,
)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, True),  # a colleague of a department they look after
        ({"person_department": 20}, True),  # an assigned department
        ({"person_department": 30}, False),  # not one of theirs
        ({"person_department": None}, False),  # a person without department
        ({"person_id": 1}, False),  # never oneself (not one's own hand-in either)
        ({"is_champion": False}, False),  # the role was taken away: assignments rest
        ({"champion_active": False}, False),
        ({"departments": set()}, False),
        ({"person_active": False}, False),  # a leaver's hand-in is not reviewed any more
        # Individual mentees, wherever they work:
        ({"person_id": 7, "person_department": 30}, True),
        ({"person_id": 7, "person_department": None}, True),
        ({"person_id": 7, "person_department": 10}, True),  # both at once
        ({"person_id": 8, "person_department": 30}, False),  # somebody else's
        ({"person_id": 7, "person_department": 30, "person_active": False}, False),
        ({"person_id": 7, "person_department": 30, "champion_active": False}, False),
        ({"person_id": 7, "person_department": 30, "is_champion": False}, False),
        ({"person_id": 1, "person_department": 30, "mentees": {1}}, False),  # never oneself
        ({"departments": set(), "mentees": set()}, False),
    ],
)
def test_looks_after(change, expected):
    assert looks_after(**{**LOOKS, **change}) is expected


PROBLEM = dict(
    champion_id=1,
    is_champion=True,
    champion_active=True,
    mentee_id=2,
    mentee_active=True,
    current_champion_id=None,
)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({}, None),
        ({"is_champion": False}, "not_champion"),
        ({"champion_active": False}, "not_champion"),
        ({"mentee_id": 1}, "self"),
        ({"mentee_active": False}, "inactive"),
        ({"current_champion_id": 1}, "already"),
        ({"current_champion_id": 3}, "taken"),  # at most one individual champion
        ({"is_champion": False, "mentee_id": 1}, "not_champion"),  # the first reason counts
    ],
)
def test_mentee_problem(change, problem):
    assert mentee_problem(**{**PROBLEM, **change}) == problem
