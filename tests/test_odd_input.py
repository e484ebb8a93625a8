"""Odd input anywhere gives a German answer, never a 500: Unicode digits, huge ids, NUL bytes."""

import io

import pytest

from tests.helpers import login_client as login


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("hr", "/personen/?seite=%C2%B2", 200),
        ("hr", "/personen/?abteilung=%C2%B2", 200),
        ("hr", "/personen/?abteilung=" + "9" * 4400, 200),
        ("hr", "/berichte/?abteilung=%C2%B2", 200),
        ("head", "/anwendungsfaelle/?abteilung=%D9%A3", 200),
        ("champion", "/mentoring/abgabe/99999999999999999999", 404),
        ("champion", "/mentoring/abgabe/2147483648", 404),
        ("hr", "/personen/99999999999/anonymisieren", 404),
        ("learner", "/selbsteinschaetzung/ergebnis/99999999999999", 404),
    ],
)
def test_odd_numbers_in_urls(app, people, content, who, path, status):
    assert login(app, f"{who}@example.org").get(path).status_code == status


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("GET", "/personen/?q=a%00b", None),
        ("POST", "/mentoring/sitzungen", {"topic": "a\x00b", "minutes": "30"}),
        ("POST", "/module/w2/abgabe", {"text": "a\x00b"}),
    ],
)
def test_nul_bytes_are_refused_with_a_message(app, people, content, method, path, data):
    who = {"/personen/": "hr", "/mentoring/": "champion"}.get(
        path[: path.find("/", 1) + 1], "learner"
    )
    response = login(app, f"{who}@example.org").open(path, method=method, data=data)
    assert response.status_code == 400
    assert "unzulässiges Steuerzeichen" in response.get_data(as_text=True)


def test_unicode_digits_in_quiz_answers(app, people, content):
    response = login(app, "learner@example.org").post(
        "/module/g1/quiz", data={**{f"q-{i}": "0" for i in range(5)}, "q-0": "²"}
    )
    assert response.status_code == 400
    assert "Ungültige Antwort im Quiz." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "content_bytes",
    [
        b"Name;E-Mail\n" + b"x" * 140_000 + b";a@example.org\n",
        b"Name;E-Mail\nA\x00;a@example.org\n",
    ],
)
def test_unreadable_csv_gets_a_message(app, people, content_bytes):
    response = login(app, "hr@example.org").post(
        "/personen/import",
        data={"file": (io.BytesIO(content_bytes), "x.csv"), "action": "pruefen"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "keine lesbare CSV-Datei" in response.get_data(as_text=True)


def test_import_report_counts_lines_with_quoted_line_breaks():
    from lernpfad.people.rules import parse

    rows = parse('Name;E-Mail;Funktion\nA;a@example.org;"zwei\nZeilen"\nB;b@example.org;x\n')
    assert [row["_line"] for row in rows] == [3, 4]


RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "Emma" + RLO + "rednieh" shows as "Emmaheinder"


@pytest.mark.parametrize(
    "text",
    ["Emma\u202erednieh", "a\u2066b", "x\u200fy", "zwei\tSpalten", "Zeile\neins", "a\u061cb"],
)
def test_control_and_direction_characters_are_spotted(text):
    from lernpfad.forms import has_control_characters

    assert has_control_characters(text)


@pytest.mark.parametrize("text", ["Özdemir-Şahin", "עברית", "العربية", "Ünal 😀", "Zoë Ann"])
def test_ordinary_names_in_any_script_pass(text):
    from lernpfad.forms import has_control_characters

    assert not has_control_characters(text)


def test_a_direction_override_in_a_name_is_refused_and_nothing_is_stored(app, people):
    import sqlalchemy as sa

    from lernpfad.auth.models import Person
    from lernpfad.extensions import db

    response = login(app, "hr@example.org").post(
        "/personen/neu",
        data={"name": f"Emma{RLO}rednieh", "email": "emma@example.org", "department_id": 0},
    )
    assert response.status_code == 400
    assert "unsichtbare Steuerzeichen" in response.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(sa.select(Person).where(Person.email == "emma@example.org")) is None
        )


def test_a_direction_override_in_the_csv_import_is_a_line_error(app, people):
    text = f"Name;E-Mail;Abteilung\nEmma;emma@example.org;Vert{RLO}rieb\n"
    response = login(app, "hr@example.org").post(
        "/personen/import",
        data={"file": (io.BytesIO(text.encode()), "a.csv"), "action": "importieren"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "enthält unsichtbare Steuerzeichen (department)" in response.get_data(as_text=True)


def test_long_texts_keep_direction_characters_but_isolated(app, people, content):
    client = login(app, "learner@example.org")
    client.post("/module/w2/abgabe", data={"text": f"Ich habe {RLO}etwas getan."})
    page = client.get("/module/w2").get_data(as_text=True)
    assert f'<div class="prose submission__text" dir="auto"><p>Ich habe {RLO}etwas getan.' in page


def test_every_form_refuses_control_characters_in_one_line_fields():
    """Every form of the app derives from lernpfad.forms.Form, which does the check."""
    import importlib
    import pkgutil

    import lernpfad
    from lernpfad.forms import Form

    forms = []
    for module_info in pkgutil.walk_packages(lernpfad.__path__, "lernpfad."):
        if module_info.name.endswith(".forms"):
            module = importlib.import_module(module_info.name)
            forms += [
                value
                for value in vars(module).values()
                if isinstance(value, type)
                and value.__module__ == module.__name__
                and hasattr(value, "validate_on_submit")
            ]
    assert len(forms) >= 10
    assert [f.__name__ for f in forms if not issubclass(f, Form)] == []


@pytest.mark.parametrize(
    ("due_on", "message"),
    [
        ("9999-12-31", "höchstens zwei Jahre in der Zukunft"),
        ("2000-01-01", "nicht in der Vergangenheit"),
    ],
)
def test_due_dates_stay_within_two_years(app, people, content, due_on, message):
    response = login(app, "head@example.org").post(
        "/module/zuweisen",
        data={"module_id": "w2", "due_on": due_on, "people": [str(people["learner"])]},
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["\uff11", "\u0661", "\u00b9"])  # "１", Arabic-Indic 1, "¹"
def test_unicode_digits_are_not_numbers_in_forms(app, people, value):
    """A choice coerced to an int must not read "１" as 1."""
    response = login(app, "hr@example.org").post(
        "/personen/neu",
        data={"name": "Nora", "email": "nora@example.org", "department_id": value},
    )
    assert response.status_code == 400
    assert "Diese Auswahl ist nicht möglich." in response.get_data(as_text=True)


def test_unicode_digits_in_the_self_assessment_are_refused():
    from lernpfad.assessments.steps import _int

    assert _int("\uff13") is None and _int("3") == 3
