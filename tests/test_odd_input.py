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
