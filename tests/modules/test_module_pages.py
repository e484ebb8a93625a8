"""Module pages: quiz, practical task, progress; bad input, XSS, double and parallel submits."""

import re
import threading
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from lernpfad.content.render import render_content, render_learner_text
from lernpfad.extensions import db
from lernpfad.modules.models import ModuleProgress, QuizAttempt, Submission
from lernpfad.usecases.models import UseCase
from tests.helpers import department

RIGHT = {f"q-{i}": "0" for i in range(5)}


@pytest.fixture
def learner(client, auth, people, content):
    auth.login()
    return client


def progress(app, module_id):
    with app.app_context():
        row = db.session.scalar(
            sa.select(ModuleProgress).where(ModuleProgress.module_id == module_id)
        )
        return None if row is None else (row.state, row.quiz_passed, row.task_accepted)


def count(app, model):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_module_page_shows_content_quiz_and_task(learner):
    page = learner.get("/module/w2").get_data(as_text=True)
    assert "Modul w2" in page and "Text von w2." in page
    assert "<table>" in page and 'class="admonition tip"' in page
    assert "Etwa 15 Minuten" in page
    assert "Praxisaufgabe: Aufgabe w2" in page and "Darauf achtet Ihr KI-Champion" in page
    assert "Antworten prüfen" in page


def test_unknown_module_is_404(learner):
    assert learner.get("/module/gibt-es-nicht").status_code == 404


def make_attempts_older(app, minutes):
    with app.app_context():
        for attempt in db.session.scalars(sa.select(QuizAttempt)):
            attempt.at -= timedelta(minutes=minutes)
        db.session.commit()


def test_quiz_fail_then_pass_shows_explanations_only_once_passed(app, learner):
    wrong = learner.post(
        "/module/g1/quiz", data={**RIGHT, "q-0": "1", "q-1": "1"}, follow_redirects=True
    )
    page = wrong.get_data(as_text=True)
    assert "3 von 5 richtig – zum Bestehen brauchen Sie 80 %" in page
    assert page.count("Nicht richtig.") == 2 and page.count("Richtig beantwortet.") == 3
    assert "Richtig: ja" not in page and "Darum." not in page  # nothing to copy before passing
    assert "sobald Sie bestanden haben" in page
    assert progress(app, "g1") == ("in_bearbeitung", False, False)
    passed = learner.post(
        "/module/g1/quiz", data={**RIGHT, "q-0": "1"}, follow_redirects=True
    )  # 4 of 5 = 80 % passes
    # The right answer and the explanation stand apart: no punctuation is added between them.
    assert "<p>Richtig: ja</p>" in passed.get_data(as_text=True)
    assert "<p>Darum.</p>" in passed.get_data(as_text=True)
    assert progress(app, "g1") == ("in_bearbeitung", True, False)
    assert count(app, QuizAttempt) == 2


def test_three_failed_attempts_pause_the_quiz(app, learner):
    wrong = {**RIGHT, "q-0": "1", "q-1": "1"}
    for _ in range(3):
        assert learner.post("/module/g1/quiz", data=wrong).status_code == 302
    paused = learner.post("/module/g1/quiz", data=RIGHT)  # even the right answers wait
    page = paused.get_data(as_text=True)
    assert paused.status_code == 429
    assert "3-mal hintereinander nicht bestanden" in page and "Uhr möglich" in page
    assert count(app, QuizAttempt) == 3  # the refused attempt is not stored
    assert "disabled>Antworten prüfen" in learner.get("/module/g1").get_data(as_text=True)
    make_attempts_older(app, minutes=10)
    assert learner.post("/module/g1/quiz", data=RIGHT).status_code == 302
    assert progress(app, "g1")[1] is True


def test_the_training_record_counts_attempts_up_to_the_pass(app, learner, people):
    wrong = {**RIGHT, "q-0": "1", "q-1": "1"}
    learner.post("/module/g1/quiz", data=wrong)
    learner.post("/module/g1/quiz", data=RIGHT)
    learner.post("/module/g1/quiz", data=wrong)  # after the pass: not counted
    with app.app_context():
        row = db.session.scalar(sa.select(ModuleProgress).where(ModuleProgress.module_id == "g1"))
        assert row.quiz_attempts == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"q-0": "0"}, "Frage 5 ist noch nicht beantwortet."),
        ({**RIGHT, "q-0": "9"}, "Ungültige Antwort im Quiz."),
        ({**RIGHT, "q-0": "-1"}, "Ungültige Antwort im Quiz."),
        ({**RIGHT, "q-99": "0"}, "unbekannte Angaben"),
    ],
)
def test_quiz_bad_input(app, learner, data, message):
    response = learner.post("/module/g1/quiz", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, QuizAttempt) == 0


def test_task_without_review_completes_with_own_confirmation(app, learner):
    learner.post("/module/g1/quiz", data=RIGHT)
    refused = learner.post(
        "/module/g1/abgabe", data={"text": "Ich habe meine Angebote zusammengefasst."}
    )
    assert refused.status_code == 400
    assert "Bitte bestätigen Sie" in refused.get_data(as_text=True)
    ok = learner.post(
        "/module/g1/abgabe",
        data={"text": "Ich habe meine Angebote zusammengefasst.", "confirmed": "ja"},
    )
    assert ok.status_code == 302
    assert progress(app, "g1") == ("abgeschlossen", True, True)
    with app.app_context():
        record = db.session.scalar(sa.select(ModuleProgress))
        assert record.completed_at is not None
        assert record.version.module_id == "g1"  # the version the completion was made on


def test_task_with_review_waits_at_submitted(app, learner):
    learner.post("/module/w2/quiz", data=RIGHT)
    learner.post("/module/w2/abgabe", data={"text": "Prompt-Vorlage für Angebote gebaut."})
    assert progress(app, "w2") == ("eingereicht", True, False)
    again = learner.post("/module/w2/abgabe", data={"text": "Noch einmal."})
    assert again.status_code == 400
    assert "bereits eingereicht" in again.get_data(as_text=True)
    assert count(app, Submission) == 1


def test_returned_task_can_be_handed_in_again_and_accepted(app, learner, people):
    from lernpfad.auth.models import Person
    from lernpfad.modules import services

    learner.post("/module/w2/quiz", data=RIGHT)
    learner.post("/module/w2/abgabe", data={"text": "Erste Fassung."})
    with app.app_context():
        champion = db.session.get(Person, people["champion"])
        services.return_submission(
            db.session.scalar(sa.select(Submission)), champion, "Bitte **konkreter**."
        )
        db.session.commit()
    assert progress(app, "w2") == ("zurueckgegeben", True, False)
    dashboard = learner.get("/").get_data(as_text=True)
    assert "Zurückgegebene Aufgaben" in dashboard and "Modul w2" in dashboard
    page = learner.get("/module/w2").get_data(as_text=True)
    assert "<strong>konkreter</strong>" in page
    learner.post("/module/w2/abgabe", data={"text": "Zweite Fassung."})
    with app.app_context():
        second = db.session.scalar(sa.select(Submission).where(Submission.round == 2))
        services.accept_submission(second, db.session.get(Person, people["champion"]))
        db.session.commit()
    assert progress(app, "w2") == ("abgeschlossen", True, True)
    assert count(app, Submission) == 2


def test_submission_over_20000_characters_is_refused(app, learner):
    response = learner.post("/module/w2/abgabe", data={"text": "x" * 20001})
    assert response.status_code == 400
    assert "Ihre Abgabe ist zu lang: 20.001 Zeichen, erlaubt sind 20.000" in response.get_data(
        as_text=True
    )
    assert count(app, Submission) == 0
    assert learner.post("/module/w2/abgabe", data={"text": "x" * 20000}).status_code == 302


def test_empty_submission_is_refused(app, learner):
    response = learner.post("/module/w2/abgabe", data={"text": "   "})
    assert response.status_code == 400
    assert count(app, Submission) == 0


@pytest.mark.parametrize(
    ("department_name", "status"), [("Marketing", "pilot"), ("Vertrieb", "verworfen")]
)
def test_a_use_case_the_form_does_not_offer_is_refused(
    app, learner, people, department_name, status
):
    """Another department's, or the own department's discarded one (the list leaves it out)."""
    with app.app_context():
        other = UseCase(
            department_id=department(department_name).id,
            status=status,
            title="Fremd",
            process="p",
            problem="p",
            expected_benefit="b",
            kpi_name="k",
            kpi_baseline="1",
            kpi_target="2",
            score_value=3,
            score_feasibility=3,
            score_strategic=3,
        )
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    for value in (str(other_id), "abc", "99999"):
        response = learner.post(
            "/module/w2/abgabe", data={"text": "Etwas getan.", "use_case_id": value}
        )
        assert response.status_code == 400
        assert "Diesen Anwendungsfall gibt es in Ihrer Abteilung nicht." in response.get_data(
            as_text=True
        )
    assert count(app, Submission) == 0


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '![a](x" onerror="alert(1))',
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=//evil.example></iframe>",
    "**fett**<style>body{display:none}</style>",
    "[x](vbscript:msgbox(1))",
    "<details open ontoggle=alert(1)>",
    '<a href="#" onclick="alert(1)">klick</a>',
    "`<script>alert(1)</script>`",
    "[x](  javascript:alert(1)  )",
    "<<script>script>alert(1)<</script>/script>",
    '"><script>alert(1)</script>',
]
FORBIDDEN_TAGS = {
    "script",
    "img",
    "svg",
    "iframe",
    "style",
    "details",
    "object",
    "embed",
    "form",
    "input",
}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "/", "#")


class ActiveContent(HTMLParser):
    """Collects everything in parsed HTML that could run: tags, event handlers, link schemes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if (
                name in ("href", "src")
                and value
                and not value.strip().lower().startswith(SAFE_SCHEMES)
            ):
                self.found.append(f"{tag}[{name}={value}]")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("payload", XSS)
def test_xss_payloads_come_out_inert(payload):
    assert active_content(render_learner_text(payload)) == []


@pytest.mark.parametrize("payload", XSS)
def test_xss_payloads_are_inert_in_module_content_too(payload):
    assert active_content(render_content(payload)) == []


def test_the_detector_finds_active_content():
    assert active_content('<a href="javascript:x" onclick="y">a</a><script></script>') == [
        "a[href=javascript:x]",
        "a[onclick]",
        "<script>",
    ]


def test_xss_in_a_submission_is_inert_on_the_page(app, learner):
    learner.post("/module/w2/abgabe", data={"text": "\n\n".join(XSS)})
    page = learner.get("/module/w2").get_data(as_text=True)
    start = page.index('<div class="prose submission__text" dir="auto">')
    shown = page[start : page.index("</div>", start)]
    assert "&lt;script&gt;" in shown  # shown as text
    assert active_content(shown) == []


def test_markdown_in_submissions_is_rendered_safely():
    html = render_learner_text("- eins\n- **zwei**\n\n[Link](https://example.org)")
    assert "<li><strong>zwei</strong></li>" in html
    assert 'href="https://example.org"' in html and "nofollow" in html


def test_parallel_submits_leave_one_progress_and_one_submission(app_factory, people, content):
    app = app_factory()
    barrier = threading.Barrier(2)
    statuses = []

    def hand_in():
        client = app.test_client()
        client.post(
            "/anmelden",
            data={"email": "learner@example.org", "password": "correct horse battery staple"},
        )
        barrier.wait()
        statuses.append(
            client.post("/module/w2/abgabe", data={"text": "Gleichzeitig."}).status_code
        )

    threads = [threading.Thread(target=hand_in) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses) in ([302, 302], [302, 400])
    assert count(app, ModuleProgress) == 1
    assert count(app, Submission) == 1


def test_path_page_shows_progress_bar_moving(app, learner):
    from tests.assessments.test_flow import take

    take(learner, rating=0, right=False)  # level 0: nothing mastered, four required modules
    before = learner.get("/lernpfad/").get_data(as_text=True)
    assert 'value="0"' in before and "0 von 4 Modulen abgeschlossen" in before
    learner.post("/module/g1/quiz", data=RIGHT)
    learner.post("/module/g1/abgabe", data={"text": "Erledigt.", "confirmed": "ja"})
    after = learner.get("/lernpfad/").get_data(as_text=True)
    assert "1 von 4 Modulen abgeschlossen" in after and 'value="25"' in after
    dashboard = learner.get("/").get_data(as_text=True)
    assert "Modul w1" in dashboard  # the next step


def test_quiz_options_are_shuffled_per_attempt_and_still_scored_by_index(app, learner):
    client = learner

    def shown_order():
        page = client.get("/module/g1").get_data(as_text=True)
        return re.findall(r'name="q-0" value="(\d)"', page)

    first = shown_order()
    assert sorted(first) == ["0", "1", "2"]
    orders = {tuple(first)}
    for _attempt in range(6):  # each attempt (answers by content index) may reorder the options
        client.post("/module/g1/quiz", data={f"q-{i}": "1" for i in range(5)})
        orders.add(tuple(shown_order()))
        make_attempts_older(app, minutes=11)  # no pause between the attempts
    assert len(orders) > 1
    passed = client.post(
        "/module/g1/quiz", data={f"q-{i}": "0" for i in range(5)}, follow_redirects=True
    )
    assert "Quiz bestanden: 5 von 5 richtig." in passed.get_data(as_text=True)
