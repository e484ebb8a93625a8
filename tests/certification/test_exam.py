"""The final exam end to end: start and resume, the page without right answers, the server-side
deadline, one hand-in per attempt, attempts and cooldown, the result only for oneself."""

import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
import yaml

from lernpfad.auth.models import Person, Role
from lernpfad.certification.exam import services
from lernpfad.certification.models import ExamAttempt
from lernpfad.content.services import sync_content
from lernpfad.db import utcnow
from lernpfad.extensions import db
from tests.content_factory import DIMENSIONS, write_content
from tests.helpers import login_client, make_person

PER_DIMENSION = 6


def exam_pool() -> dict:
    """42 questions like the shipped pool; every third has two right answers."""
    questions = []
    for dimension in DIMENSIONS:
        for n in range(PER_DIMENSION):
            multiple = n % 3 == 2
            questions.append(
                {
                    "id": f"exam-{dimension}-{n}",
                    "dimension": dimension,
                    "text": f"Prüfungsfrage {dimension} {n}?",
                    "options": [f"Antwort {dimension} {n} {o}" for o in "ABCD"],
                    "correct": [0, 2] if multiple else [n % 4],
                    "explanation": f"Erklärung zu {dimension} {n}.",
                }
            )
    return {"questions": questions}


def write_exam_content(root, *, exam: dict | None = None):
    write_content(root)
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    (root / "certification" / "exam-pool.yaml").write_text(dump(exam_pool()), encoding="utf-8")
    if exam is not None:
        spec = yaml.safe_load(
            (
                __import__("pathlib").Path(__file__).resolve().parents[2]
                / "content"
                / "certification"
                / "champion.yaml"
            ).read_text(encoding="utf-8")
        )
        spec["requirements"]["exam"].update(exam)
        spec["renewal"]["modules"] = []
        (root / "certification" / "champion.yaml").write_text(dump(spec), encoding="utf-8")
    return root


@pytest.fixture
def pool(app, tmp_path):
    """The test content with a full exam pool, imported."""
    root = write_exam_content(tmp_path / "exam-content")
    with app.app_context():
        sync_content(str(root))
        db.session.commit()
    return root


@pytest.fixture
def champion(app, people, pool):
    return login_client(app, "champion@example.org")


def person(email: str) -> Person:
    return db.session.scalar(sa.select(Person).where(Person.email == email))


def attempts(app, email="champion@example.org") -> list[ExamAttempt]:
    with app.app_context():
        found = services.attempts_of(person(email))
        for attempt in found:
            db.session.expunge(attempt)
        return found


def start(client) -> int:
    response = client.post("/zertifizierung/pruefung/starten")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/pruefung/(\d+)$", response.headers["Location"]).group(1))


def answers(app, attempt_id: int, *, right: int | None = None) -> dict:
    """Form data answering every question: the first ``right`` right (all when None), the
    rest wrong."""
    with app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        pool = services.pool_of(attempt)
        data = {}
        for position, question_id in enumerate(attempt.question_ids):
            correct = pool[question_id]["correct"]
            ok = right is None or position < right
            wrong = next(i for i in range(4) if i not in correct)
            data[f"q-{position}"] = [str(i) for i in correct] if ok else [str(wrong)]
        return data


def shift(app, attempt_id: int, delta: timedelta) -> None:
    """Move an attempt into the past (the clock moved on by ``-delta``)."""
    with app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        attempt.started_at += delta
        attempt.deadline += delta
        if attempt.submitted_at:
            attempt.submitted_at += delta
        db.session.commit()


def test_start_draws_twenty_questions_over_all_dimensions_with_a_deadline(app, champion):
    attempt_id = start(champion)
    (attempt,) = attempts(app)
    assert attempt.id == attempt_id
    assert len(attempt.question_ids) == len(set(attempt.question_ids)) == 20
    per_dimension = {
        d: sum(q.startswith(f"exam-{d}-") for q in attempt.question_ids) for d in DIMENSIONS
    }
    assert sorted(per_dimension.values()) == [2, 3, 3, 3, 3, 3, 3]
    assert attempt.deadline - attempt.started_at == timedelta(minutes=30)
    assert attempt.submitted_at is None
    with app.app_context():
        current = services.current_document("exam_pool").content_hash
    assert attempt.pool_hash == current


def test_starting_again_resumes_the_open_attempt(app, champion):
    first = start(champion)
    assert start(champion) == first
    page = champion.get("/zertifizierung/pruefung/").get_data(as_text=True)
    assert "Prüfung fortsetzen" in page and "Prüfung starten" not in page
    assert len(attempts(app)) == 1


def test_the_exam_page_holds_no_right_answers(app, champion):
    attempt_id = start(champion)
    html = champion.get(f"/zertifizierung/pruefung/{attempt_id}").get_data(as_text=True)
    assert html.count('<fieldset class="choice-group') == 20
    assert "correct" not in html.lower()
    assert "Erklärung" not in html and "Richtig:" not in html
    for question in yaml.safe_load(yaml.safe_dump(exam_pool()))["questions"]:
        assert question["explanation"] not in html
    assert "Abgabe bis" in html and 'data-remaining="' in html
    assert "js/exam-clock.js" in html and "<script>" not in html


def test_options_are_shuffled_per_attempt_and_keep_the_pool_index(app, champion):
    attempt_id = start(champion)
    html = champion.get(f"/zertifizierung/pruefung/{attempt_id}").get_data(as_text=True)
    with app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        shown = services.shown_questions(attempt)
    orders = [[index for index, _text in q.options] for q in shown]
    assert any(order != [0, 1, 2, 3] for order in orders)
    first = shown[0]
    for index, text in first.options:
        assert re.search(rf'name="q-0" value="{index}"[^>]*> <span>{re.escape(text)}</span>', html)


def test_handing_in_scores_and_the_result_explains_every_question(app, champion):
    attempt_id = start(champion)
    data = answers(app, attempt_id, right=16)
    response = champion.post(f"/zertifizierung/pruefung/{attempt_id}/abgeben", data=data)
    assert response.headers["Location"].endswith(f"/pruefung/{attempt_id}/ergebnis")
    (attempt,) = attempts(app)
    assert (attempt.correct, attempt.total, attempt.passed, attempt.late) == (16, 20, True, False)
    html = champion.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bestanden" in html and "80 %" in html and "16 von 20 Fragen richtig" in html
    with app.app_context():
        pool = services.pool_of(db.session.get(ExamAttempt, attempt_id))
    for question_id in attempt.question_ids:
        question = pool[question_id]
        assert question["explanation"] in html
        assert question["text"] in html
    assert html.count("Ihre Antwort:") == 20
    assert html.count('class="answer-wrong"') == 4
    # the page of the attempt itself now leads to the result
    assert champion.get(f"/zertifizierung/pruefung/{attempt_id}").status_code == 302


def test_fifteen_of_twenty_fails(app, champion):
    attempt_id = start(champion)
    champion.post(
        f"/zertifizierung/pruefung/{attempt_id}/abgeben", data=answers(app, attempt_id, right=15)
    )
    (attempt,) = attempts(app)
    assert attempt.passed is False
    html = champion.get(f"/zertifizierung/pruefung/{attempt_id}/ergebnis").get_data(as_text=True)
    assert "Nicht bestanden" in html and "75 %" in html


def test_unanswered_questions_are_listed_and_nothing_is_stored(app, champion):
    attempt_id = start(champion)
    data = answers(app, attempt_id)
    del data["q-2"], data["q-11"]
    data["q-5"] = data["q-5"][:1] if len(data["q-5"]) > 1 else data["q-5"]
    response = champion.post(f"/zertifizierung/pruefung/{attempt_id}/abgeben", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert '<a href="#q-2">Frage 3 ist noch nicht beantwortet.</a>' in html
    assert '<a href="#q-11">Frage 12 ist noch nicht beantwortet.</a>' in html
    assert "correct" not in html.lower()
    # the given answers are kept on the page
    assert re.search(rf'name="q-0" value="{data["q-0"][0]}" checked', html)
    (attempt,) = attempts(app)
    assert attempt.submitted_at is None and attempt.answers == {}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"q-0": "4"}, "Ungültige Antwort bei Frage 1."),
        ({"q-0": "²"}, "Ungültige Antwort bei Frage 1."),
        ({"q-0": "-1"}, "Ungültige Antwort bei Frage 1."),
        ({"q-99": "1"}, "Das Formular enthält unbekannte Angaben."),
        ({"correct": "1"}, "Das Formular enthält unbekannte Angaben."),
    ],
)
def test_bad_answers_get_german_messages_and_nothing_is_stored(app, champion, change, message):
    attempt_id = start(champion)
    data = {**answers(app, attempt_id), **change}
    response = champion.post(f"/zertifizierung/pruefung/{attempt_id}/abgeben", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    (attempt,) = attempts(app)
    assert attempt.submitted_at is None


def test_two_answers_to_a_single_choice_question_are_refused(app, champion):
    attempt_id = start(champion)
    data = answers(app, attempt_id)
    single = next(name for name, values in data.items() if len(values) == 1)
    data[single] = ["0", "1"]
    response = champion.post(f"/zertifizierung/pruefung/{attempt_id}/abgeben", data=data)
    assert response.status_code == 400
    assert f"Ungültige Antwort bei Frage {int(single[2:]) + 1}." in response.get_data(as_text=True)


def test_when_the_time_is_up_unanswered_questions_count_as_wrong(app, champion):
    attempt_id = start(champion)
    data = {k: v for k, v in answers(app, attempt_id).items() if int(k[2:]) < 17}
    response = champion.post(
        f"/zertifizierung/pruefung/{attempt_id}/abgeben", data={**data, "zeit_um": "1"}
    )
    assert response.status_code == 302
    (attempt,) = attempts(app)
    assert (attempt.correct, attempt.passed, attempt.late) == (17, True, False)
    html = champion.get(f"/zertifizierung/pruefung/{attempt_id}/ergebnis").get_data(as_text=True)
    assert html.count("Ihre Antwort: keine") == 3


def test_a_hand_in_after_the_deadline_is_failed_whatever_it_holds(app, people, pool):
    with app.app_context():
        me = person("champion@example.org")
        started = utcnow() - timedelta(hours=1)
        attempt = services.start_attempt(me, started)
        data = answers_for(attempt)
        in_time = attempt.deadline + timedelta(seconds=30)
        late = attempt.deadline + timedelta(seconds=31)
        assert services.hand_in(attempt, data, late) is True
        assert (attempt.correct, attempt.total, attempt.passed, attempt.late) == (
            20,
            20,
            False,
            True,
        )
        assert attempt.submitted_at == late
        status = services.exam_status(me, late)
        assert status.passed is False and status.best_percent is None
        assert status.attempts_used == 1
        db.session.rollback()
        attempt = services.start_attempt(me, started)
        assert services.hand_in(attempt, answers_for(attempt), in_time) is True
        assert (attempt.passed, attempt.late) == (True, False)


def answers_for(attempt: ExamAttempt):
    from werkzeug.datastructures import MultiDict

    pool = services.pool_of(attempt)
    return MultiDict(
        [
            (f"q-{position}", str(index))
            for position, question_id in enumerate(attempt.question_ids)
            for index in pool[question_id]["correct"]
        ]
    )


def test_a_late_hand_in_through_the_page_is_stored_as_failed(app, champion):
    attempt_id = start(champion)
    data = answers(app, attempt_id)
    shift(app, attempt_id, -timedelta(minutes=31))  # the server's clock: 31 minutes later
    response = champion.post(f"/zertifizierung/pruefung/{attempt_id}/abgeben", data=data)
    assert response.status_code == 302
    (attempt,) = attempts(app)
    assert (attempt.passed, attempt.late, attempt.correct) == (False, True, 20)
    html = champion.get(f"/zertifizierung/pruefung/{attempt_id}/ergebnis").get_data(as_text=True)
    assert "nach Ablauf der Zeit" in html and "nicht bestanden" in html


def test_a_replayed_hand_in_changes_nothing_and_shows_the_result(app, champion):
    attempt_id = start(champion)
    url = f"/zertifizierung/pruefung/{attempt_id}/abgeben"
    champion.post(url, data=answers(app, attempt_id))
    (before,) = attempts(app)
    replay = champion.post(url, data=answers(app, attempt_id, right=0), follow_redirects=True)
    assert replay.status_code == 200
    html = replay.get_data(as_text=True)
    assert "bereits abgegeben" in html and "20 von 20 Fragen richtig" in html
    (after,) = attempts(app)
    assert (after.submitted_at, after.answers, after.correct, after.passed) == (
        before.submitted_at,
        before.answers,
        20,
        True,
    )


def test_of_two_racing_hand_ins_the_first_counts(app_factory, people, pool):
    first, second = app_factory(), app_factory()
    with first.app_context():
        attempt_id = services.start_attempt(person("champion@example.org")).id
        db.session.commit()
    with first.app_context():
        stale = db.session.get(ExamAttempt, attempt_id)  # read before the other request's write
        all_right = answers_for(stale)
        with second.app_context():
            other = db.session.get(ExamAttempt, attempt_id)
            data = answers_for(other)
            data.pop("q-0")
            assert services.hand_in(other, data, other.deadline) is True  # the time is up
            db.session.commit()
        assert stale.submitted_at is None
        assert services.hand_in(stale, all_right) is False
        assert (stale.correct, stale.passed) == (19, True)
        db.session.commit()


@pytest.mark.parametrize("who", ["learner", "hr", "admin", "other"])
def test_someone_elses_attempt_is_not_found_and_stays_unchanged(app, champion, who):
    attempt_id = start(champion)
    data = answers(app, attempt_id)
    with app.app_context():
        make_person("other@example.org", roles={Role.CHAMPION})
        db.session.commit()
    intruder = login_client(app, f"{who}@example.org")
    base = f"/zertifizierung/pruefung/{attempt_id}"
    assert intruder.get(base).status_code == 404
    assert intruder.post(f"{base}/abgeben", data=data).status_code == 404
    champion.post(f"{base}/abgeben", data=answers(app, attempt_id, right=3))
    assert intruder.get(f"{base}/ergebnis").status_code == 404
    (attempt,) = attempts(app)
    assert attempt.correct == 3


def test_people_off_the_champion_path_get_an_explanation(app, people, pool):
    learner = login_client(app, "learner@example.org")
    response = learner.get("/zertifizierung/pruefung/")
    assert response.status_code == 403
    assert "steht Personen offen, die den Lernpfad für KI-Champions gehen" in response.get_data(
        as_text=True
    )
    assert learner.post("/zertifizierung/pruefung/starten").status_code == 403
    assert attempts(app, "learner@example.org") == []


def test_the_champion_path_opens_the_exam_without_the_role(app, people, pool):
    from lernpfad.paths.models import PathAssignment

    with app.app_context():
        db.session.add(
            PathAssignment(
                person_id=people["learner"], role="anwender", source="hr", nominated_champion=True
            )
        )
        db.session.commit()
    learner = login_client(app, "learner@example.org")
    assert learner.get("/zertifizierung/pruefung/").status_code == 200
    start(learner)


def fail(app, me, at):
    attempt = services.start_attempt(me, at)
    services.hand_in(attempt, answers_for(attempt), attempt.deadline + timedelta(minutes=1))
    return attempt


def test_three_failed_attempts_then_a_week_of_cooldown_then_three_more(app, people, pool):
    t0 = utcnow() - timedelta(days=1)
    with app.app_context():
        me = person("champion@example.org")
        status = services.exam_status(me, t0)
        assert (status.attempts_used, status.attempts_left, status.next_attempt_at) == (0, 3, None)
        for n in range(3):
            fail(app, me, t0 + timedelta(hours=n))
        last_end = t0 + timedelta(hours=2, minutes=30)
        status = services.exam_status(me, t0 + timedelta(hours=3))
        assert (status.attempts_used, status.attempts_left) == (3, 0)
        assert status.next_attempt_at == last_end + timedelta(days=7)
        with pytest.raises(services.ExamRefused) as refused:
            services.start_attempt(me, t0 + timedelta(days=7, hours=2))
        assert refused.value.reason == "cooldown" and refused.value.until == status.next_attempt_at
        fourth = services.start_attempt(me, status.next_attempt_at)
        status = services.exam_status(me, status.next_attempt_at)
        assert (status.attempts_used, status.attempts_left, status.open_attempt_id) == (
            1,
            2,
            fourth.id,
        )
        db.session.commit()


def test_a_fourth_start_in_the_cooldown_is_refused_with_the_date(app, champion):
    with app.app_context():
        me = person("champion@example.org")
        now = utcnow()
        for n in range(3):
            fail(app, me, now - timedelta(hours=3 - n))
        db.session.commit()
        until = services.exam_status(me).next_attempt_at
    response = champion.post("/zertifizierung/pruefung/starten")
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    from flask_babel import format_date

    with app.test_request_context():
        day = format_date(until)
    assert f"Ein neuer Versuch ist ab {day}," in html
    assert len(attempts(app)) == 3
    assert "Prüfung starten" not in html


def test_an_attempt_left_open_past_its_deadline_counts_as_failed(app, people, pool):
    t0 = utcnow() - timedelta(days=2)
    with app.app_context():
        me = person("champion@example.org")
        first = services.start_attempt(me, t0)
        status = services.exam_status(me, t0 + timedelta(minutes=29))
        assert (status.open_attempt_id, status.attempts_used) == (first.id, 1)
        later = t0 + timedelta(minutes=31)
        status = services.exam_status(me, later)
        assert (status.open_attempt_id, status.attempts_used, status.attempts_left) == (None, 1, 2)
        assert services.attempt_state(first, later) == "expired"
        second = services.start_attempt(me, later)
        assert second.id != first.id
        assert not set(second.question_ids) & set(first.question_ids)  # fresh questions
        db.session.commit()


def test_the_result_of_an_attempt_left_open_shows_after_the_allowance(app, champion):
    attempt_id = start(champion)
    shift(app, attempt_id, -timedelta(minutes=30, seconds=10))  # in the network allowance
    response = champion.get(f"/zertifizierung/pruefung/{attempt_id}/ergebnis")
    assert response.headers["Location"].endswith(f"/pruefung/{attempt_id}")
    page = champion.get(f"/zertifizierung/pruefung/{attempt_id}").get_data(as_text=True)
    assert "Die Zeit ist abgelaufen. Geben Sie Ihre Antworten jetzt ab" in page
    assert "correct" not in page.lower()
    shift(app, attempt_id, -timedelta(seconds=30))
    html = champion.get(f"/zertifizierung/pruefung/{attempt_id}/ergebnis").get_data(as_text=True)
    assert "ohne dass Antworten abgegeben wurden" in html and "0 von 20 Fragen richtig" in html
    assert "Erklärung zu" in html


def test_passed_is_final(app, champion):
    attempt_id = start(champion)
    champion.post(f"/zertifizierung/pruefung/{attempt_id}/abgeben", data=answers(app, attempt_id))
    page = champion.get("/zertifizierung/pruefung/").get_data(as_text=True)
    assert "Bestanden. Ihr bestes Ergebnis: 100 %." in page
    response = champion.post("/zertifizierung/pruefung/starten")
    assert response.status_code == 409
    assert "Sie haben die Prüfung bereits bestanden." in response.get_data(as_text=True)
    with app.app_context():
        status = services.exam_status(person("champion@example.org"))
    assert status == services.ExamStatus(
        passed=True,
        best_percent=100,
        attempts_used=1,
        attempts_left=2,
        next_attempt_at=None,
        open_attempt_id=None,
    )


def test_best_percent_counts_in_time_hand_ins_only(app, people, pool):
    t0 = utcnow() - timedelta(days=1)
    with app.app_context():
        me = person("champion@example.org")
        assert services.exam_status(me).best_percent is None
        first = services.start_attempt(me, t0)
        data = answers_for(first)
        for position in range(5):
            data.pop(f"q-{position}")
        services.hand_in(first, data, first.deadline)  # the time is up: 15 of 20
        fail(app, me, t0 + timedelta(hours=1))  # late: 20 of 20, but failed
        status = services.exam_status(me, t0 + timedelta(hours=2))
        assert (status.passed, status.best_percent, status.attempts_used) == (False, 75, 2)


def test_without_a_pool_the_exam_cannot_start(app, people):
    champion = login_client(app, "champion@example.org")
    page = champion.get("/zertifizierung/pruefung/").get_data(as_text=True)
    assert "Es gibt noch keinen Fragenpool." in page and "Prüfung starten" not in page
    response = champion.post("/zertifizierung/pruefung/starten")
    assert response.status_code == 409
    assert attempts(app) == []


def test_the_numbers_come_from_champion_yaml(app_factory, people, tmp_path):
    app = app_factory()
    root = write_exam_content(
        tmp_path / "configured",
        exam={"questions": 7, "pass_percent": 50, "minutes": 10, "attempts": 2, "cooldown_days": 1},
    )
    with app.app_context():
        sync_content(str(root))
        db.session.commit()
    client = login_client(app, "champion@example.org")
    page = client.get("/zertifizierung/pruefung/").get_data(as_text=True)
    for text in ("7 Fragen", "10 Minuten", "ab 50 %", "2 Versuche", "Pause von 1 Tag;"):
        assert text in page, text
    attempt_id = start(client)
    (attempt,) = attempts(app)
    assert len(attempt.question_ids) == 7
    assert attempt.deadline - attempt.started_at == timedelta(minutes=10)
    client.post(
        f"/zertifizierung/pruefung/{attempt_id}/abgeben", data=answers(app, attempt_id, right=4)
    )
    assert attempts(app)[0].passed is True


def test_the_test_content_pool_of_one_question_works(app, people, content):
    champion = login_client(app, "champion@example.org")
    attempt_id = start(champion)
    html = champion.get(f"/zertifizierung/pruefung/{attempt_id}").get_data(as_text=True)
    assert html.count('<fieldset class="choice-group') == 1
    champion.post(f"/zertifizierung/pruefung/{attempt_id}/abgeben", data={"q-0": "1"})
    result = champion.get(f"/zertifizierung/pruefung/{attempt_id}/ergebnis").get_data(as_text=True)
    assert "1 von 1 Frage richtig" in result


def test_two_parallel_starts_leave_one_open_attempt(app_factory, people, pool):
    apps = [app_factory(), app_factory()]
    clients = [login_client(a, "champion@example.org") for a in apps]
    barrier = threading.Barrier(2)
    locations = []

    def begin(client):
        barrier.wait()
        locations.append(client.post("/zertifizierung/pruefung/starten").headers.get("Location"))

    threads = [threading.Thread(target=begin, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(locations) == 2 and locations[0] == locations[1] and locations[0]
    assert len(attempts(apps[0])) == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/zertifizierung/pruefung/99999999999999999999"),
        ("GET", "/zertifizierung/pruefung/2147483648/ergebnis"),
        ("POST", "/zertifizierung/pruefung/99999/abgeben"),
        ("GET", "/zertifizierung/pruefung/x"),
    ],
)
def test_odd_attempt_ids_are_not_found(app, champion, method, path):
    assert champion.open(path, method=method).status_code == 404


def test_odd_answer_values_get_a_message(app, champion):
    attempt_id = start(champion)
    data = {**answers(app, attempt_id), "q-3": "9" * 4000}
    response = champion.post(f"/zertifizierung/pruefung/{attempt_id}/abgeben", data=data)
    assert response.status_code == 400
    assert "Ungültige Antwort bei Frage 4." in response.get_data(as_text=True)
