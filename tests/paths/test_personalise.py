"""Personalisation of a path: mastered, in preparation, order kept."""

import pytest

from lernpfad.paths.services import MASTERED, OPEN, PREPARING, ModuleInfo, personalise

MODULES = {
    "g1": ModuleInfo("g1", "Grundlagen 1", "grundlagen", 1, 20),
    "g2": ModuleInfo("g2", "Grundlagen 2", "grundlagen", 2, 20),
    "w1": ModuleInfo("w1", "Werkzeuge 1", "werkzeuge", 1, 20),
    "w3": ModuleInfo("w3", "Werkzeuge 3", "werkzeuge", 3, 20),
}
STEPS = [
    {"module": "g1", "required": True},
    {"module": "w1", "required": True},
    {"module": "g2", "required": True},
    {"module": "x9", "required": True},
    {"module": "w3", "required": False},
]


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        (None, [OPEN, OPEN, OPEN, PREPARING, OPEN]),  # no assessment yet: nothing mastered
        ({}, [OPEN, OPEN, OPEN, PREPARING, OPEN]),
        ({"grundlagen": 0, "werkzeuge": 0}, [OPEN, OPEN, OPEN, PREPARING, OPEN]),
        (
            {"grundlagen": 1, "werkzeuge": 0},
            [MASTERED, OPEN, OPEN, PREPARING, OPEN],
        ),  # at the level
        ({"grundlagen": 2, "werkzeuge": 2}, [MASTERED, MASTERED, MASTERED, PREPARING, OPEN]),
        ({"grundlagen": 4, "werkzeuge": 4}, [MASTERED, MASTERED, MASTERED, PREPARING, MASTERED]),
        ({"grundlagen": 1, "werkzeuge": 3}, [MASTERED, MASTERED, OPEN, PREPARING, MASTERED]),
    ],
)
def test_states(levels, expected):
    assert [s.state for s in personalise(STEPS, levels, MODULES)] == expected


def test_order_is_kept_so_prerequisites_stay_first():
    steps = personalise(STEPS, {"grundlagen": 1}, MODULES)
    assert [s.module_id for s in steps] == ["g1", "w1", "g2", "x9", "w3"]


def test_optional_for_the_person():
    steps = personalise(STEPS, {"grundlagen": 1}, MODULES)
    assert [s.optional for s in steps] == [True, False, False, True, True]


def test_missing_required_flag_means_required():
    (step,) = personalise([{"module": "g1"}], None, MODULES)
    assert step.required and not step.optional


MANDATORY = {**MODULES, "r1": ModuleInfo("r1", "KI-Richtlinie", "recht", 1, 15, mandatory=True)}


@pytest.mark.parametrize(
    ("attempts", "expected"),
    [
        ({}, [MASTERED, OPEN]),  # mastered: test-out possible; mandatory: never mastered
        ({"g1": (0, False)}, [MASTERED, OPEN]),  # opened, quiz not tried
        ({"g1": (1, True)}, [MASTERED, OPEN]),  # tested out (the progress says completed)
        ({"g1": (1, False)}, [OPEN, OPEN]),  # the first try failed: an ordinary step again
        ({"g1": (2, False)}, [OPEN, OPEN]),
        ({"r1": (1, True)}, [MASTERED, OPEN]),  # a mandatory module stays on the path
    ],
)
def test_test_out_and_mandatory_modules(attempts, expected):
    steps = [{"module": "g1"}, {"module": "r1"}]
    result = personalise(steps, {"grundlagen": 4, "recht": 4}, MANDATORY, attempts)
    assert [s.state for s in result] == expected
