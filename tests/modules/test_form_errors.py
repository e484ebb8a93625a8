"""Errors appear next to their field, all at once, with a summary at the top of the form whose
links lead to the fields; the module page's forms answer at the form, not at the page top."""

import io
import re
from datetime import date, timedelta
from html.parser import HTMLParser

from lernpfad.extensions import db
from lernpfad.usecases.models import UseCase
from tests.helpers import department


class Summary(HTMLParser):
    """The error summary's messages and links, and every id on the page."""

    def __init__(self):
        super().__init__()
        self.ids, self.items, self.attrs = set(), [], {}
        self._depth = 0  # inside the summary: the nesting depth of its divs
        self._link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if "data-error-summary" in attrs:
            self._depth, self.attrs = 1, attrs
        elif self._depth and tag == "div":
            self._depth += 1
        elif self._depth and tag == "li":
            self.items.append(["", None])
        elif self._depth and tag == "a":
            self.items[-1][1] = attrs["href"]

    def handle_endtag(self, tag):
        if self._depth and tag == "div":
            self._depth -= 1

    def handle_data(self, data):
        if self._depth and self.items:
            self.items[-1][0] += data.strip()


def summary_of(page: str) -> Summary:
    parser = Summary()
    parser.feed(page)
    assert parser.attrs.get("tabindex") == "-1", "no error summary"
    assert "Bitte korrigieren Sie:" in page
    for _message, href in parser.items:
        assert href is None or href[1:] in parser.ids, f"{href} leads nowhere"
    return parser


def error_beside(page: str, field_id: str) -> str:
    """The error message shown beside the field (its -fehler element)."""
    match = re.search(rf'id="{re.escape(field_id)}-fehler">([^<]+)<', page)
    assert match, f"no error beside {field_id}"
    return match.group(1)


def test_assign_form_reports_the_date_and_the_missing_people_together(
    client, auth, people, content
):
    auth.login("head@example.org")
    past = (date.today() - timedelta(days=1)).isoformat()
    for due_on in (past, "31.02.2026"):
        response = client.post("/module/zuweisen", data={"module_id": "w1", "due_on": due_on})
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        summary = summary_of(page)
        assert [href for _m, href in summary.items] == ["#due_on", "#people-0"]
        assert "Bitte wählen Sie mindestens eine Person." in error_beside(page, "people")
        assert error_beside(page, "due_on") == summary.items[0][0]
        assert 'aria-describedby="due_on-fehler"' in page


def test_an_empty_hand_in_answers_at_the_form_with_the_error_beside_the_text(
    client, auth, people, content
):
    auth.login()
    page_before = client.get("/module/w2").get_data(as_text=True)
    assert 'action="/module/w2/abgabe#abgabe"' in page_before
    assert 'action="/module/w2/quiz#quiz"' in page_before
    response = client.post("/module/w2/abgabe", data={"text": "  "})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = summary_of(page)
    assert summary.items == [
        ["Bitte beschreiben Sie, was Sie getan haben und was es verändert hat.", "#text"]
    ]
    assert error_beside(page, "text") == summary.items[0][0]
    assert 'aria-describedby="text-hint text-fehler" aria-invalid="true"' in page
    # the summary stands at the top of the form, inside the anchor the form answers at
    assert page.index('id="abgabe"') < page.index("data-error-summary") < page.index('id="text"')
    assert "js/error-summary.js" in page


def test_every_problem_of_a_hand_in_at_once_and_nothing_typed_is_lost(
    app, client, auth, people, content
):
    with app.app_context():
        texts = ("process", "problem", "expected_benefit", "kpi_name", "kpi_baseline", "kpi_target")
        case = UseCase(
            department_id=department("Vertrieb").id,
            title="Angebote",
            **dict.fromkeys(texts, "x"),
            **dict.fromkeys(("score_value", "score_feasibility", "score_strategic"), 3),
        )
        db.session.add(case)
        db.session.commit()
        case_id = case.id
    auth.login()
    # g1 needs no review: the learner confirms it themselves
    response = client.post("/module/g1/abgabe", data={"text": "", "use_case_id": str(case_id)})
    page = response.get_data(as_text=True)
    assert [href for _m, href in summary_of(page).items] == ["#text", "#confirmed"]
    assert "Bitte bestätigen Sie" in error_beside(page, "confirmed")
    assert f'<option value="{case_id}" selected>' in page
    wrong_case = client.post(
        "/module/g1/abgabe", data={"text": "x" * 20001, "use_case_id": "abc", "confirmed": "ja"}
    )
    page = wrong_case.get_data(as_text=True)
    assert [href for _m, href in summary_of(page).items] == ["#text", "#use_case_id"]
    assert "zu lang" in error_beside(page, "text")
    assert 'id="confirmed" name="confirmed" value="ja" checked' in page


def test_unanswered_quiz_questions_are_each_named_and_linked(client, auth, people, content):
    auth.login()
    response = client.post("/module/g1/quiz", data={"q-0": "0", "q-2": "1", "q-4": "0"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = summary_of(page)
    assert summary.items == [
        ["Frage 2 ist noch nicht beantwortet.", "#q-1"],
        ["Frage 4 ist noch nicht beantwortet.", "#q-3"],
    ]
    assert error_beside(page, "q-1") == "Frage 2 ist noch nicht beantwortet."
    assert 'class="choice-group field--error" aria-describedby="q-3-fehler"' in page
    assert page.count('class="choice-group field--error"') == 2
    assert re.search(r'<input id="q-1" type="radio" name="q-1"', page)


def test_shared_form_macros_give_other_forms_the_summary_too(client, auth, people):
    auth.login("hr@example.org")
    response = client.post("/personen/neu", data={"name": "", "email": "kaputt"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    links = [href for _m, href in summary_of(page).items]
    assert "#name" in links and "#email" in links
    assert error_beside(page, "name")


def test_login_lists_its_missing_fields(client, people):
    response = client.post("/anmelden", data={"email": "", "password": ""})
    links = [href for _m, href in summary_of(response.get_data(as_text=True)).items]
    assert links == ["#email", "#password"]


def test_checks_after_the_form_join_the_summary(client, auth, people):
    auth.login("champion@example.org")
    future = (date.today() + timedelta(days=2)).isoformat()
    response = client.post(
        "/mentoring/sitzungen",
        data={"mentee_id": people["learner"], "held_on": future, "minutes": "0", "topic": " "},
    )
    items = summary_of(response.get_data(as_text=True)).items
    assert len(items) >= 3 and all(href is None for _m, href in items)
    auth.logout()
    auth.login("hr@example.org")
    upload = {
        "file": (io.BytesIO("Name;E-Mail\nJürgen;j@example.org\n".encode("latin-1")), "a.csv")
    }
    response = client.post("/personen/import", data={**upload, "action": "pruefen"})
    items = summary_of(response.get_data(as_text=True)).items
    assert items == [[items[0][0], "#file"]] and "UTF-8" in items[0][0]
