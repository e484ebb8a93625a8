"""The scoring table: self-rating and knowledge check → level; role; champion path."""

import pytest

from lernpfad.assessments.scoring import (
    base_role,
    dimension_level,
    format_number,
    is_correct,
    prefill_function,
    qualifies_for_champion_path,
    score_dimensions,
)


@pytest.mark.parametrize(
    ("ratings", "correct", "total", "level"),
    [
        ([0, 0, 0], 0, 3, 0),  # all 0
        ([4, 4, 4], 3, 3, 4),  # all 4
        ([4, 4, 4], 0, 3, 2),  # self 4, knowledge 0: confidence alone reaches 2
        ([0, 0, 0], 3, 3, 2),  # self 0, knowledge full: knowledge alone reaches 2
        ([3, 3, 3], 1, 3, 2),  # the product's example: self 3, 1 of 3 right → 2
        ([3, 3], 2, 2, 4),  # 3.5 rounds up to 4
        ([2, 3], 2, 3, 3),  # (2.5 + 2.67) / 2 = 2.58 → 3
        ([1, 1, 1], 1, 3, 1),  # (1 + 1.33) / 2 = 1.17 → 1
        ([1, 2, 1], 0, 3, 1),  # (1.33 + 0) / 2 = 0.67 → 1
        ([0, 1, 0], 0, 2, 0),  # 0.17 → 0
        ([2, 2, 2], 3, 3, 3),  # exactly 3
        ([4, 4, 3], 2, 3, 3),  # (3.67 + 2.67) / 2 = 3.17 → 3
        ([1, 0, 0], 1, 2, 1),  # (0.33 + 2) / 2 = 1.17 → 1
        ([3, 3, 3], 3, 3, 4),  # 3.5 → 4
        ([2, 2, 2], 0, 3, 1),  # 1 exactly
    ],
)
def test_dimension_level(ratings, correct, total, level):
    assert dimension_level(ratings, correct, total) == level


@pytest.mark.parametrize(
    ("ratings", "correct", "total"),
    [([], 1, 3), ([5], 1, 3), ([-1], 1, 3), ([2], 4, 3), ([2], 1, 0)],
)
def test_dimension_level_rejects_impossible_input(ratings, correct, total):
    with pytest.raises(ValueError):
        dimension_level(ratings, correct, total)


@pytest.mark.parametrize(
    ("chosen", "right", "expected"),
    [
        ([1], [1], True),
        ([0], [1], False),
        ([0, 2], [2, 0], True),
        ([0], [0, 2], False),
        ([0, 1, 2], [0, 2], False),
        ([], [0], False),
    ],
)
def test_multi_answer_questions_need_exactly_the_right_options(chosen, right, expected):
    assert is_correct(chosen, right) is expected


DEFINITION = {
    "part_a": {
        "options": [
            {
                "key": "geschaeftsfuehrung",
                "role": "fuehrungsebene",
                "job_functions": ["geschäftsführ", "vorstand"],
            },
            {
                "key": "leitung",
                "role": "fachbereichsleitung",
                "job_functions": ["abteilungsleit", "teamleit"],
            },
            {"key": "fachkraft", "role": "anwender", "job_functions": []},
        ]
    },
    "statements": [
        {"id": "b-a-1", "dimension": "werkzeuge"},
        {"id": "b-a-2", "dimension": "werkzeuge"},
        {"id": "b-b-1", "dimension": "qualitaet"},
        {"id": "b-b-2", "dimension": "qualitaet"},
    ],
    "questions": [
        {"id": "c-a-1", "dimension": "werkzeuge", "correct": [1]},
        {"id": "c-a-2", "dimension": "werkzeuge", "correct": [0, 2]},
        {"id": "c-b-1", "dimension": "qualitaet", "correct": [3]},
        {"id": "c-b-2", "dimension": "qualitaet", "correct": [0]},
    ],
}


def test_score_dimensions_combines_both_parts():
    scores = score_dimensions(
        DEFINITION,
        {"b-a-1": 4, "b-a-2": 3, "b-b-1": 1, "b-b-2": 0},
        {"c-a-1": [1], "c-a-2": [0, 2], "c-b-1": [2], "c-b-2": [0]},
    )
    assert scores["werkzeuge"].level == 4  # (3.5 + 4) / 2 = 3.75
    assert scores["werkzeuge"].correct == 2 and scores["werkzeuge"].total == 2
    assert scores["qualitaet"].level == 1  # (0.5 + 2) / 2 = 1.25
    assert float(scores["qualitaet"].self_rating) == 0.5


@pytest.mark.parametrize(
    ("function", "role"),
    [
        ("geschaeftsfuehrung", "fuehrungsebene"),
        ("leitung", "fachbereichsleitung"),
        ("fachkraft", "anwender"),
    ],
)
def test_base_role_from_part_a(function, role):
    assert base_role(DEFINITION, function) == role


def test_unknown_function_is_refused():
    with pytest.raises(ValueError):
        base_role(DEFINITION, "kaiser")


@pytest.mark.parametrize(
    ("volunteered", "hours", "levels", "nominated", "expected"),
    [
        (True, 2, {"werkzeuge": 2, "qualitaet": 2}, False, True),
        (True, 4, {"werkzeuge": 4, "qualitaet": 3}, False, True),
        (True, 1, {"werkzeuge": 4, "qualitaet": 4}, False, False),  # not enough time
        (False, 4, {"werkzeuge": 4, "qualitaet": 4}, False, False),  # not volunteered
        (True, 3, {"werkzeuge": 1, "qualitaet": 4}, False, False),  # werkzeuge too low
        (True, 3, {"werkzeuge": 3, "qualitaet": 1}, False, False),  # qualitaet too low
        (True, 3, {}, False, False),
        (False, 0, {"werkzeuge": 0, "qualitaet": 0}, True, True),  # nominated by HR or the head
    ],
)
def test_champion_path(volunteered, hours, levels, nominated, expected):
    assert (
        qualifies_for_champion_path(
            volunteered=volunteered, hours=hours, levels=levels, nominated=nominated
        )
        is expected
    )


@pytest.mark.parametrize(
    ("job", "leadership", "head", "expected"),
    [
        ("Geschäftsführerin", False, False, "geschaeftsfuehrung"),
        ("Abteilungsleiter Einkauf", False, False, "leitung"),
        ("Teamleiterin Hotline", False, False, "leitung"),
        ("Sachbearbeitung", False, False, None),
        ("", False, True, "leitung"),
        ("Sachbearbeitung", True, False, "geschaeftsfuehrung"),
    ],
)
def test_prefill_function_from_hr_data(job, leadership, head, expected):
    assert prefill_function(DEFINITION, job, is_leadership=leadership, is_head=head) == expected


@pytest.mark.parametrize(("value", "text"), [(2.5, "2,5"), (3.0, "3"), (2.6667, "2,7"), (0, "0")])
def test_format_number_is_german(value, text):
    assert format_number(value) == text


def test_radar_chart_geometry():
    from lernpfad.assessments.charts import radar_chart

    chart = radar_chart(
        [("a", "Oben & Mitte"), ("b", "Rechts"), ("c", "Links")],
        {"a": 4, "b": 0},
        {"a": 2, "b": 4, "c": 4},
    )
    # Level 4 on the first axis reaches the top of the outer ring; level 0 sits in the centre.
    top_x, top_y = chart.current_dots[0]
    assert top_x == chart.center and top_y < chart.center
    assert chart.current_dots[1] == (chart.center, chart.center)
    assert chart.labels[0]["lines"] == ["Oben &", "Mitte"]
    assert chart.labels[1]["lines"] == ["Rechts"]
    assert len(chart.rings) == 4
