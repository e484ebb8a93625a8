"""Pilot rules (lernpfad/usecases/pilots.py): numbers and units of a KPI, measurements, effect,
decision, hand-in counts, the chart's geometry."""

from datetime import date

import pytest

from lernpfad.usecases import pilots

START = date(2026, 11, 2)
TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("90", 90),
        ("1,5", 1.5),
        ("1.5", 1.5),
        ("1.200", 1200),
        ("1.200,5", 1200.5),
        ("12.345.678", 12345678),
        (" 45 ", 45),
        ("0", 0),
        ("", None),
        ("abc", None),
        ("1,2,3", None),
        ("1.2.3", None),
        ("12.34,5", None),  # dots are thousands only in groups of three
        ("1,", None),
        ("１２", None),  # full-width digits
        ("nan", None),
        ("1e400", None),
    ],
)
def test_parse_number(text, number):
    assert pilots.parse_number(text) == number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90", (90, None)),
        ("90 Minuten", (90, "Minuten")),
        ("90min", (90, "Minuten")),
        ("90 min.", (90, "Minuten")),
        ("2,5 Std.", (2.5, "Stunden")),
        ("35 %", (35, "%")),
        ("35 Prozent", (35, "%")),
        ("-3", (-3, None)),
        ("−2,5 Tage", (-2.5, "Tage")),
        ("1.200 €", (1200, "€")),
        ("12 Angebote", (12, "Angebote")),  # an unknown unit stays as written
    ],
)
def test_parse_quantity(text, expected):
    assert pilots.parse_quantity(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "not_a_number"),
        ("viel", "not_a_number"),
        ("ca. 90", "not_a_number"),
        ("90 bis 100", "not_a_number"),
        ("90 Minuten pro Angebot", "bad_unit"),
        ("90 min/Angebot", "bad_unit"),
    ],
)
def test_parse_quantity_refuses(text, code):
    with pytest.raises(pilots.QuantityError) as caught:
        pilots.parse_quantity(text)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("name", "baseline", "unit"),
    [
        ("Zeit je Standardangebot (Minuten)", "90", "Minuten"),
        ("Anteil gepflegter Notizen (%)", "40", "%"),
        ("Prüfzeit je Vertrag (min)", "120", "Minuten"),
        ("Bearbeitungszeit", "12 Minuten", "Minuten"),
        ("Bewerbungen je Anzeige", "8", None),
        ("Interaktionsrate (%)", "1,2", "%"),
    ],
)
def test_unit_of_kpi(name, baseline, unit):
    assert pilots.unit_of_kpi(name, baseline) == unit


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Minuten", "min", True),
        ("Minuten", "MIN.", True),
        ("Minuten", "Stunden", False),
        ("%", "Prozent", True),
        ("Angebote", "angebote", True),
        (None, "Stunden", True),  # a KPI without unit takes any
        ("Minuten", None, True),  # a bare number is in the KPI's unit
    ],
)
def test_same_unit(a, b, same):
    assert pilots.same_unit(a, b) is same


# value typed, date, unit of the KPI, pilot start → errors (field → code), stored value
@pytest.mark.parametrize(
    ("value", "day", "unit", "started", "errors", "stored"),
    [
        ("56", date(2026, 11, 16), "Minuten", START, {}, 56),
        ("56 min", date(2026, 11, 16), "Minuten", START, {}, 56),
        ("56,5 Minuten", START, "Minuten", START, {}, 56.5),  # on the first day
        ("56", TODAY, "Minuten", START, {}, 56),  # today
        ("viel", TODAY, "Minuten", START, {"value": "not_a_number"}, None),
        ("", TODAY, "Minuten", START, {"value": "not_a_number"}, None),
        ("56 Stunden", TODAY, "Minuten", START, {"value": "unit_mismatch"}, None),
        ("56 %", TODAY, "Minuten", START, {"value": "unit_mismatch"}, None),
        ("56 Minuten je Fall", TODAY, "Minuten", START, {"value": "bad_unit"}, None),
        ("56", date(2026, 11, 21), "Minuten", START, {"measured_on": "future"}, None),
        ("56", date(2026, 11, 1), "Minuten", START, {"measured_on": "before_pilot"}, None),
        ("56", None, "Minuten", START, {"measured_on": "missing"}, None),
        ("56", TODAY, "Minuten", None, {"pilot": "no_pilot"}, None),
        (
            "x",
            date(2027, 1, 1),
            "Minuten",
            START,
            {"value": "not_a_number", "measured_on": "future"},
            None,
        ),
    ],
)
def test_check_measurement(value, day, unit, started, errors, stored):
    reading = pilots.check_measurement(value, day, unit=unit, started_on=started, today=TODAY)
    assert reading.errors == errors
    assert reading.value == stored


@pytest.mark.parametrize(
    ("weeks", "end", "due_on_day_after"),
    [
        (6, date(2026, 12, 13), date(2026, 12, 14)),
        (None, date(2026, 12, 13), None),
        (1, date(2026, 11, 8), None),
    ],
)
def test_pilot_end_and_when_a_decision_is_due(weeks, end, due_on_day_after):
    assert pilots.pilot_end(START, weeks) == end
    assert not pilots.decision_due(START, weeks, end)
    assert pilots.decision_due(START, weeks, date.fromordinal(end.toordinal() + 1))
    assert not pilots.decision_due(None, weeks, TODAY)


# baseline, target, latest, unit → change, target change, points, reached, share of the goal
@pytest.mark.parametrize(
    ("baseline", "target", "latest", "unit", "expected"),
    [
        (90, 63, 56, "Minuten", (-37.8, -30.0, False, True, 126)),  # −38 %, Ziel −30 %
        (90, 45, 60, "Minuten", (-33.3, -50.0, False, False, 67)),
        (12, 6, 12, None, (0.0, -50.0, False, False, 0)),
        (8, 15, 15, None, (87.5, 87.5, False, True, 100)),  # higher is better
        (8, 15, 6, None, (-25.0, 87.5, False, False, -29)),  # worse than before
        (40, 80, 55, "%", (15, 40, True, False, 38)),  # percentage points
        (40, 80, 85, "Prozent", (45, 40, True, True, 112)),
    ],
)
def test_effect(baseline, target, latest, unit, expected):
    found = pilots.effect(baseline, target, latest, unit)
    assert (
        found.change,
        found.target_change,
        found.points,
        found.reached,
        found.share_of_goal,
    ) == expected


@pytest.mark.parametrize(
    ("baseline", "target", "latest", "unit"),
    [
        (None, 45, 60, None),
        (90, None, 60, None),
        (90, 45, None, None),
        (0, 10, 5, None),  # no relative change from zero
        (90, 90, 80, None),  # no goal to measure against
    ],
)
def test_no_effect_without_numbers(baseline, target, latest, unit):
    assert pilots.effect(baseline, target, latest, unit) is None


@pytest.mark.parametrize(
    ("decision", "weeks", "extra", "outcome"),
    [
        ("ausrollen", 6, None, ("im_einsatz", 6)),
        ("stoppen", 6, None, ("verworfen", 6)),
        ("verlaengern", 6, 2, ("pilot", 8)),
        ("verlaengern", None, 4, ("pilot", 10)),
        ("verlaengern", 6, 12, ("pilot", 18)),
    ],
)
def test_decision_outcome(decision, weeks, extra, outcome):
    assert pilots.decision_outcome(decision, weeks, extra) == outcome


@pytest.mark.parametrize(
    ("decision", "extra"),
    [("weiter", None), ("verlaengern", None), ("verlaengern", 0), ("verlaengern", 13)],
)
def test_decision_refused(decision, extra):
    with pytest.raises(ValueError):
        pilots.decision_outcome(decision, 6, extra)


@pytest.mark.parametrize(
    ("per_module", "named", "rest"),
    [
        ({}, [], 0),
        ({"w2": 7, "g1": 5, "q1": 4, "r1": 1}, [("w2", 7), ("g1", 5)], 5),
        ({"w2": 1}, [], 1),  # one hand-in: counted, never named
        ({"a": 5, "b": 9}, [("b", 9), ("a", 5)], 0),
    ],
)
def test_contributions_name_modules_only_from_the_privacy_minimum(per_module, named, rest):
    assert pilots.contributions(per_module, 5) == (named, rest)


def test_chart_places_readings_by_date_between_baseline_and_target():
    chart = pilots.pilot_chart(
        START,
        date(2026, 12, 13),
        [(date(2026, 11, 16), 66), (date(2026, 11, 9), 78)],  # out of order on purpose
        90,
        63,
    )
    x1, y1, x2, y2 = chart.plot
    assert [value for _x, _y, value in chart.dots] == [78, 66]  # by date
    assert chart.dots[0][0] < chart.dots[1][0]
    assert chart.days[0] == (x1, START) and chart.days[1] == (x2, date(2026, 12, 13))
    assert chart.grid[0] == (y2, 0.0) and chart.grid[-1] == (y1, 100)  # 0 … a round 100
    assert chart.baseline_y < chart.target_y  # 90 above 63
    assert chart.line == " ".join(f"{x},{y}" for x, y, _v in chart.dots)
    # 78 of 100 on a plot from y2 (0) up to y1 (100)
    assert chart.dots[0][1] == round(y2 - (y2 - y1) * 0.78, 1)


def test_chart_reaches_a_reading_after_the_planned_end():
    late = date(2026, 12, 20)
    chart = pilots.pilot_chart(START, date(2026, 12, 13), [(late, 5)], None, None)
    assert chart.days[-1][1] == late
    assert chart.baseline_y is None and chart.target_y is None
    assert chart.dots[0][0] == chart.plot[2]


def test_chart_with_negative_values_keeps_them_on_the_plot():
    chart = pilots.pilot_chart(START, TODAY, [(START, -20), (TODAY, 10)], 0, 20)
    _x1, y1, _x2, y2 = chart.plot
    assert all(y1 <= y <= y2 for _x, y, _v in chart.dots)
    assert chart.grid[0][1] == -20


@pytest.mark.parametrize(
    ("old", "new", "needed"),
    [
        ("pilot", "im_einsatz", True),
        ("pilot", "verworfen", True),
        ("pilot", "bewertet", False),  # back to the assessment: no decision on the pilot
        ("pilot", "pilot", False),
        ("bewertet", "verworfen", False),
        (None, "pilot", False),
    ],
)
def test_a_running_pilot_ends_by_a_decision(old, new, needed):
    assert pilots.needs_decision(old, new) is needed
