"""Reporting rules: privacy minimum, histograms, means, coverage."""

import pytest

from lernpfad.reports import rules
from lernpfad.reports.rules import (
    Coverage,
    champion_coverage,
    csv_cell,
    distribution,
    histogram,
    mean_level,
    percent,
    suppressed_groups,
)


@pytest.mark.parametrize(
    ("levels", "counts"),
    [([], [0, 0, 0, 0, 0]), ([0, 4, 4, 2], [1, 0, 1, 0, 2]), ([1] * 7, [0, 7, 0, 0, 0])],
)
def test_histogram(levels, counts):
    assert histogram(levels) == counts


@pytest.mark.parametrize(("levels", "mean"), [([], 0.0), ([1, 2], 1.5), ([1, 1, 2], 1.3)])
def test_mean_level(levels, mean):
    assert mean_level(levels) == mean


def test_distribution_is_suppressed_below_the_minimum():
    four = [{"a": 1}] * 4
    assert distribution(four, ["a"], 5) is None
    assert distribution(four + [{"a": 3}], ["a"], 5) == {"a": [0, 4, 0, 1, 0]}


@pytest.mark.parametrize(
    ("staff", "champions", "expected"),
    [
        (0, 0, Coverage(0, 0, 0, True)),
        (20, 1, Coverage(20, 1, 1, True)),
        (21, 1, Coverage(21, 1, 2, False)),
        (61, 3, Coverage(61, 3, 4, False)),
        (61, 4, Coverage(61, 4, 4, True)),
    ],
)
def test_champion_coverage(staff, champions, expected):
    assert champion_coverage(staff, champions) == expected


@pytest.mark.parametrize(
    ("part", "whole", "result"), [(0, 0, 0), (1, 3, 33), (2, 3, 67), (5, 5, 100)]
)
def test_percent(part, whole, result):
    assert percent(part, whole) == result


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("Anna", "Anna"),
        (None, ""),
        (3, "3"),
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+49 30", "'+49 30"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("a=b", "a=b"),
    ],
)
def test_csv_cell_defuses_formulas(value, cell):
    assert csv_cell(value) == cell


@pytest.mark.parametrize(
    ("sizes", "unassigned", "hidden"),
    [
        ({"A": 6, "B": 7}, 0, set()),
        ({"A": 6, "B": 0}, 0, set()),  # an empty group reveals nothing
        ({"A": 6, "B": 7, "C": 1}, 0, {"C", "A"}),  # C alone could be subtracted: hide A too
        ({"A": 6, "B": 7, "C": 2, "D": 3}, 0, {"C", "D"}),  # C + D = 5: enough together
        ({"A": 6, "B": 7}, 2, {"A"}),  # two people without department
        ({"A": 6, "B": 7}, 5, set()),
        ({"A": 3}, 0, {"A"}),
    ],
)
def test_suppressed_groups_leave_no_small_rest(sizes, unassigned, hidden):
    result = suppressed_groups(sizes, unassigned, 5)
    assert result == hidden
    rest = unassigned + sum(sizes[name] for name in result)
    assert rest == 0 or rest >= 5 or set(sizes) <= result


@pytest.mark.parametrize(
    ("published", "current", "changed", "publish"),
    [
        (None, {}, 0, False),
        (None, {1: 1, 2: 2, 3: 3, 4: 4}, 4, False),  # four: below the minimum
        (None, {1: 1, 2: 2, 3: 3, 4: 4, 5: 5}, 5, True),
        ({1: 1, 2: 2, 3: 3, 4: 4, 5: 5}, {1: 1, 2: 2, 3: 3, 4: 4, 5: 5}, 0, False),
        # one colleague finished the assessment: not published, the old figures stay
        ({i: i for i in range(11)}, {i: i for i in range(12)}, 1, False),
        # four new results and one leaver: five changes, published
        (
            {i: i for i in range(11)},
            {**{i: i for i in range(1, 11)}, 1: 21, 2: 22, 3: 23, 11: 11},
            5,
            True,
        ),
        # a new result of someone already counted is a change too
        ({i: i for i in range(6)}, {i: i + 100 for i in range(6)}, 6, True),
        # the group shrank below the minimum: nothing new is published
        ({i: i for i in range(6)}, {1: 1, 2: 2}, 4, False),
    ],
)
def test_publication_steps(published, current, changed, publish):
    assert rules.changed_members(published, current) == changed
    assert rules.should_publish(published, current, 5) is publish


@pytest.mark.parametrize(
    ("looked_after", "shares"),
    [
        ({}, {}),
        ({"V": {1}}, {"V": 1}),
        ({"V": {1}, "E": {1}, "M": {1}, "S": {1}, "P": {1}}, dict.fromkeys("VEMSP", 0.2)),
        ({"V": {1, 2}, "E": {1}}, {"V": 1.5, "E": 0.5}),
        ({"V": set()}, {"V": 0}),
    ],
)
def test_champion_shares_add_up_to_the_number_of_champions(looked_after, shares):
    result = rules.champion_shares(looked_after)
    assert result == pytest.approx(shares)
    champions = set().union(*looked_after.values()) if looked_after else set()
    assert sum(result.values()) == pytest.approx(len(champions))
