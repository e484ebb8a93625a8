"""The toolbox's rules: status flow, approvals, data classes and the shortcode, as tables."""

from datetime import date
from types import SimpleNamespace

import pytest

from lernpfad.auth.models import Role
from lernpfad.people.rules import grantable_roles, role_change_problem
from lernpfad.toolbox import rules

R, A, E, N = rules.IN_REVIEW, rules.APPROVED, rules.RESTRICTED, rules.REFUSED

# old → new: allowed? (None: a new tool)
TRANSITIONS = [
    (None, R, True),
    (None, N, True),
    (None, A, False),  # approved only after a review
    (None, E, False),
    (None, "geheim", False),
    (R, R, True),
    (R, A, True),
    (R, E, True),
    (R, N, True),
    (A, A, True),
    (A, E, True),
    (A, N, True),
    (A, R, True),  # back to review (a new version, a changed contract)
    (E, E, True),
    (E, A, True),
    (E, N, True),
    (E, R, True),
    (N, N, True),
    (N, R, True),
    (N, A, False),  # a refused tool is reviewed again first
    (N, E, False),
    (A, "", False),
    (R, "freigeben", False),
]


@pytest.mark.parametrize(("old", "new", "allowed"), TRANSITIONS)
def test_status_changes_follow_the_flow(old, new, allowed):
    assert rules.status_change_allowed(old, new) is allowed


def test_the_table_names_every_pair_of_statuses():
    named = {(old, new) for old, new, _allowed in TRANSITIONS}
    assert {(old, new) for old in rules.STATUSES for new in rules.STATUSES} <= named


@pytest.mark.parametrize(
    ("status", "data_class", "has_dpa", "hosting", "problem"),
    [
        (A, rules.GREEN, False, "drittland", None),
        (A, rules.YELLOW, False, "deutschland", "dpa_needed"),
        (E, rules.RED, False, "eu", "dpa_needed"),
        (A, rules.YELLOW, True, "eu", None),
        (A, rules.RED, False, "eigener_betrieb", None),  # no provider processes the data
        (R, rules.RED, False, "drittland", None),  # not approved (yet): nothing to refuse
        (N, rules.YELLOW, False, "drittland", None),
    ],
)
def test_approval_beyond_green_needs_a_data_processing_agreement(
    status, data_class, has_dpa, hosting, problem
):
    assert rules.approval_problem(status, data_class, has_dpa, hosting) == problem


@pytest.mark.parametrize(
    ("tool_class", "wanted", "allowed"),
    [
        (rules.GREEN, rules.GREEN, True),
        (rules.GREEN, rules.YELLOW, False),
        (rules.YELLOW, rules.GREEN, True),
        (rules.YELLOW, rules.RED, False),
        (rules.RED, rules.YELLOW, True),
        (rules.RED, rules.RED, True),
    ],
)
def test_a_tool_takes_its_data_class_and_every_lower_one(tool_class, wanted, allowed):
    assert rules.allows(tool_class, wanted) is allowed


def _tool(name, status, data_class):
    return SimpleNamespace(name=name, status=status, data_class=data_class)


def test_usable_tools_are_approved_or_restricted_and_filtered_by_class():
    tools = [
        _tool("zeta", A, rules.YELLOW),
        _tool("Alpha", E, rules.RED),
        _tool("beta", A, rules.GREEN),
        _tool("Prüfling", R, rules.RED),
        _tool("Verboten", N, rules.RED),
    ]
    assert [t.name for t in rules.usable_for(tools)] == ["beta", "zeta", "Alpha"]
    assert [t.name for t in rules.usable_for(tools, rules.YELLOW)] == ["zeta", "Alpha"]
    assert [t.name for t in rules.usable_for(tools, rules.RED)] == ["Alpha"]
    assert rules.usable_for([], rules.GREEN) == []


@pytest.mark.parametrize(
    ("status", "linked", "problem"),
    [(N, True, "refused_tool_linked"), (N, False, None), (R, True, None), (A, True, None)],
)
def test_a_refused_tool_serves_no_use_case(status, linked, problem):
    assert rules.link_problem(status, linked) == problem


@pytest.mark.parametrize(
    ("line", "ok"),
    [
        ("[[toolbox]]", True),
        ("[[toolbox:gelb]]", True),
        ("  [[toolbox:rot]]  ", True),
        ("Ein Satz ohne Verweis.", True),
        ("[Link](modul:abc)", True),
        ("[[toolbox:blau]]", False),
        ("[[toolbox:Gelb]]", False),
        ("[[Toolbox]]", False),
        ("[[toolbox: gelb]]", False),
        ("Siehe [[toolbox:gelb]] hier.", False),
        ("[[toolbox:gelb]", False),
        ("[[toolbox:gelb]] [[toolbox:rot]]", False),
    ],
)
def test_shortcode_lines(line, ok):
    assert (rules.shortcode_problem(line) is None) is ok


def test_an_unknown_data_class_is_named_in_the_problem():
    problem = rules.shortcode_problem("[[toolbox:intern]]")
    assert "Unbekannte Datenklasse „intern“" in problem and "gruen, gelb, rot" in problem


@pytest.mark.parametrize(
    ("review_on", "due"),
    [
        (None, False),
        (date(2026, 12, 6), True),
        (date(2026, 12, 7), True),
        (date(2026, 12, 8), False),
    ],
)
def test_review_due(review_on, due):
    assert rules.review_due(review_on, date(2026, 12, 7)) is due


def test_only_administrators_grant_or_remove_the_ki_koordination():
    assert Role.AI_COORDINATION in grantable_roles({Role.ADMIN})
    assert Role.AI_COORDINATION not in grantable_roles({Role.HR})
    change = {"own": False, "before": {Role.LEARNER}, "after": {Role.LEARNER, Role.AI_COORDINATION}}
    assert role_change_problem({Role.HR}, **change) == "admin_only"
    assert role_change_problem({Role.ADMIN}, **change) is None
    assert role_change_problem({Role.AI_COORDINATION}, **change) == "not_allowed"
