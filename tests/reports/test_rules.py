"""Reporting rules: privacy minimum, histograms, means, coverage."""

import pytest

from lernpfad.reports.rules import (
    Coverage,
    champion_coverage,
    csv_cell,
    distribution,
    histogram,
    matrix,
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


def test_matrix_suppresses_small_groups_only():
    groups = {"Vertrieb": [{"a": 2}] * 5, "Einkauf": [{"a": 4}] * 2, "Leer": []}
    assert matrix(groups, ["a"], 5) == {"Vertrieb": {"a": 2.0}, "Einkauf": None, "Leer": None}


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
