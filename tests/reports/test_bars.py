"""The level distribution's bars share one axis for the whole table: a 4 is shorter than a 7."""

import re

import pytest

from lernpfad.extensions import db
from lernpfad.reports.rules import bar_lengths
from tests.content_factory import DIMENSIONS
from tests.helpers import login_client, make_person
from tests.reports.test_pages import assess


@pytest.mark.parametrize(
    ("distribution", "lengths"),
    [
        (None, {}),
        ({}, {}),
        ({"a": [0, 0, 0, 0, 0]}, {"a": [0, 0, 0, 0, 0]}),
        # one axis: the table's largest count (7) is the full bar, 4 of 7 is 6 of 10 steps
        (
            {"a": [0, 0, 7, 0, 0], "b": [0, 4, 0, 3, 0]},
            {"a": [0, 0, 10, 0, 0], "b": [0, 6, 0, 4, 0]},
        ),
        # a count above zero always shows, however small against the largest
        ({"a": [1, 40, 0, 0, 0]}, {"a": [1, 10, 0, 0, 0]}),
        # halves round up
        ({"a": [1, 4, 0, 0, 0]}, {"a": [3, 10, 0, 0, 0]}),
    ],
)
def test_bar_lengths_share_the_tables_largest_count(distribution, lengths):
    assert bar_lengths(distribution) == lengths


def bar_classes(page: str, label: str) -> list[str]:
    row = re.search(rf'<th scope="row">{label}</th>(.*?)</tr>', page, re.S)
    assert row, label
    return re.findall(r'class="bar (bar--\d+)"', row.group(1))


def test_report_rows_with_largest_counts_4_and_7_get_different_bars(app, people, content):
    """Seven people: all on level 2 in the first dimension (largest count 7); in the second,
    four on level 1 and three on level 3 (largest count 4). Scaled per row, both maxima were a
    full bar; on one axis the 4 is 6 of 10 steps."""
    first, second = DIMENSIONS[0], DIMENSIONS[1]
    with app.app_context():
        for n in range(7):
            levels = {d: 2 for d in DIMENSIONS} | {second: 1 if n < 4 else 3}
            assess(make_person(f"p{n}@example.org"), levels)
        db.session.commit()
    page = login_client(app, "hr@example.org").get("/berichte/").get_data(as_text=True)
    assert bar_classes(page, f"Dimension {first}") == "bar--0 bar--0 bar--10 bar--0 bar--0".split()
    assert bar_classes(page, f"Dimension {second}") == "bar--0 bar--6 bar--0 bar--4 bar--0".split()
