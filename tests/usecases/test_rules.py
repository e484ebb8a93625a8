from types import SimpleNamespace

import pytest

from lernpfad.usecases.rules import priority_score, rank, status_change_allowed, use_case_scope


@pytest.mark.parametrize(
    ("value", "feasibility", "strategic", "score"),
    [
        (1, 1, 1, 0),
        (5, 5, 5, 100),
        (5, 1, 1, 40),
        (1, 5, 1, 30),
        (1, 1, 5, 30),
        (3, 3, 3, 50),
        (4, 2, 3, 53),  # weighted 3.1 → 52.5 → rounds half up to 53
        (2, 4, 4, 55),  # weighted 3.2
    ],
)
def test_priority_score(value, feasibility, strategic, score):
    assert priority_score(value, feasibility, strategic) == score


@pytest.mark.parametrize("bad", [(0, 3, 3), (3, 6, 3), (3, 3, -1)])
def test_scores_out_of_range(bad):
    with pytest.raises(ValueError):
        priority_score(*bad)


def case(title, v, f, s, status="idee"):
    return SimpleNamespace(
        title=title, score_value=v, score_feasibility=f, score_strategic=s, status=status
    )


def test_ranking_by_priority_ties_and_rejected_last():
    cases = [
        case("Mittel", 3, 3, 3),
        case("Hoch", 5, 4, 4),
        case("Verworfen aber hoch", 5, 5, 5, "verworfen"),
        case("Gleich, mehr Wert", 4, 2, 2),  # 0.4*4+0.3*2+0.3*2 = 2.8
        case("Gleich, weniger Wert", 2, 4, 4),  # 0.8+1.2+1.2 = 3.2 → higher actually
        case("Niedrig", 1, 1, 2),
    ]
    titles = [c.title for c in rank(cases)]
    assert titles[0] == "Hoch"
    assert titles[-1] == "Verworfen aber hoch"
    assert titles.index("Gleich, weniger Wert") < titles.index("Gleich, mehr Wert")
    assert titles[-2] == "Niedrig"


def test_tie_broken_by_value():
    # Both weigh 3.5 → 63; the one with more business value comes first.
    more_value = case("Mehr Wert", 5, 3, 2)  # 2.0 + 0.9 + 0.6 = 3.5
    less_value = case("Weniger Wert", 2, 5, 4)  # 0.8 + 1.5 + 1.2 = 3.5
    assert [x.title for x in rank([less_value, more_value])] == ["Mehr Wert", "Weniger Wert"]


@pytest.mark.parametrize(
    ("old", "new", "ok"),
    [
        ("idee", "bewertet", True),
        ("idee", "im_einsatz", False),
        ("bewertet", "pilot", True),
        ("pilot", "im_einsatz", True),
        ("im_einsatz", "idee", False),
        ("verworfen", "idee", True),
        ("pilot", "pilot", True),
    ],
)
def test_status_flow(old, new, ok):
    assert status_change_allowed(old, new) is ok


# Departments: 1 own, 2 and 3 assigned to the champion by HR, 9 someone else's.
@pytest.mark.parametrize(
    ("who", "own", "looked_after", "works_on", "reads_all"),
    [
        ({}, 1, set(), set(), False),  # a learner
        ({"is_head": True}, 1, set(), {1}, False),
        ({"is_head": True}, None, set(), set(), False),  # a head without department
        ({"is_head": True}, 1, {2, 3}, {1}, False),  # assignments count for champions only
        ({"is_champion": True}, 1, {1, 2, 3}, {1, 2, 3}, False),  # own and assigned
        ({"is_champion": True}, 1, {2}, {1, 2}, False),  # the own one also when not listed
        ({"is_champion": True}, None, {2, 3}, {2, 3}, False),  # no own department
        ({"is_champion": True}, 1, set(), {1}, False),
        ({"is_head": True, "is_champion": True}, 1, {2}, {1, 2}, False),
        ({"is_company_viewer": True}, 1, set(), set(), True),  # leadership, HR: read only
        ({"is_company_viewer": True, "is_head": True}, 1, set(), {1}, True),
        ({"is_company_viewer": True, "is_champion": True}, 1, {2}, {1, 2}, True),
    ],
)
def test_use_case_scope(who, own, looked_after, works_on, reads_all):
    roles = {"is_head": False, "is_champion": False, "is_company_viewer": False, **who}
    scope = use_case_scope(**roles, own_department=own, looked_after=looked_after)
    assert scope.departments == frozenset(works_on)
    assert scope.whole_company is reads_all
    for department in (1, 2, 3, 9):
        assert scope.may_edit(department) is (department in works_on)
        assert scope.may_view(department) is (reads_all or department in works_on)
