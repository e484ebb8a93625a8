"""The assessment in the browser's place: steps, resume, bad input, one result, privacy, override."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lernpfad.assessments.models import AssessmentAttempt, AssessmentResult
from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Person
from lernpfad.extensions import db
from lernpfad.paths.models import PathAssignment
from tests.content_factory import DIMENSIONS


def ratings(value=2):
    return {f"b-{dim}-{n}": str(value) for dim in DIMENSIONS for n in (1, 2)}


def answers(right=True):
    data = {}
    for dim in DIMENSIONS:
        data[f"c-{dim}-1"] = "0" if right else "1"
        data[f"c-{dim}-2"] = ["1", "2"] if right else ["0"]
    return data


def take(client, *, function="fachkraft", rating=2, right=True, volunteer="nein", hours="0"):
    client.post("/selbsteinschaetzung/starten")
    assert (
        client.post("/selbsteinschaetzung/schritt/1", data={"function": function}).status_code
        == 302
    )
    assert client.post("/selbsteinschaetzung/schritt/2", data=ratings(rating)).status_code == 302
    assert client.post("/selbsteinschaetzung/schritt/3", data=answers(right)).status_code == 302
    return client.post(
        "/selbsteinschaetzung/schritt/4", data={"volunteer": volunteer, "hours": hours}
    )


def result_count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AssessmentResult))


@pytest.fixture
def learner(client, auth, people, content):
    auth.login()
    return client


def test_whole_assessment_gives_levels_role_and_path(app, learner):
    response = take(learner, rating=3, right=False)
    assert response.status_code == 302
    page = learner.get(response.headers["Location"]).get_data(as_text=True)
    # self 3, 0 of 2 right → (3 + 0) / 2 = 1.5 → 2
    assert "Selbsteinschätzung 3, Wissenscheck 0 von 2 richtig → Stufe 2" in page
    assert "<svg" in page and "Netzdiagramm" in page
    assert "Modul g1" in page  # the assigned path
    assert "bereits beherrscht" in page  # level 2 ≥ level of g1, w1, w2, q1
    with app.app_context():
        result = db.session.scalar(sa.select(AssessmentResult))
        assert result.base_role == result.path_role == "anwender"
        assert set(result.levels.values()) == {2}


def test_leaving_halfway_and_resuming(app, learner):
    learner.post("/selbsteinschaetzung/starten")
    learner.post("/selbsteinschaetzung/schritt/1", data={"function": "leitung"})
    learner.post("/selbsteinschaetzung/schritt/2", data=ratings(1))
    page = learner.get("/selbsteinschaetzung/").get_data(as_text=True)
    assert "Fortsetzen (Schritt 3 von 4)" in page
    resumed = learner.post("/selbsteinschaetzung/starten")
    assert resumed.headers["Location"].endswith("/selbsteinschaetzung/schritt/3")
    # Earlier answers are still there when going back.
    step2 = learner.get("/selbsteinschaetzung/schritt/2").get_data(as_text=True)
    assert 'name="b-grundlagen-1" value="1" checked' in step2


def test_prefill_from_job_function(app, client, auth, people, content):
    with app.app_context():
        db.session.get(Person, people["learner"]).job_function = "Teamleiterin Hotline"
        db.session.commit()
    auth.login()
    client.post("/selbsteinschaetzung/starten")
    page = client.get("/selbsteinschaetzung/schritt/1").get_data(as_text=True)
    assert 'value="leitung" checked' in page
    assert "Vorausgewählt aus Ihren Personaldaten" in page


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        (1, {}, "Bitte wählen Sie Ihre Funktion."),
        (1, {"function": "kaiser"}, "Die gewählte Funktion gibt es nicht."),
        (1, {"function": "fachkraft", "b-geheim": "1"}, "Unbekannte Angaben im Formular: b-geheim"),
        (
            2,
            {k: v for k, v in list(ratings().items())[1:]},
            "Bitte bewerten Sie alle Aussagen (1 fehlt).",
        ),
        (2, {**ratings(), "b-grundlagen-1": "7"}, "Ungültiger Wert für eine Aussage"),
        (2, {**ratings(), "b-grundlagen-1": "-1"}, "Ungültiger Wert für eine Aussage"),
        (2, {**ratings(), "b-grundlagen-1": "zwei"}, "Ungültiger Wert für eine Aussage"),
        (3, {**answers(), "c-recht-1": "9"}, "Ungültige Antwort bei einer Frage."),
        (3, {**answers(), "c-recht-1": ["0", "1"]}, "nur eine Auswahl möglich"),
        (
            3,
            {k: v for k, v in answers().items() if k != "c-recht-2"},
            "Bitte beantworten Sie alle Fragen (1 fehlt).",
        ),
        (4, {"volunteer": "vielleicht", "hours": "2"}, "ob Sie als KI-Champion mitwirken möchten"),
        (4, {"volunteer": "ja", "hours": "40"}, "Ungültige Stundenzahl."),
        (4, {"volunteer": "ja"}, "wie viele Stunden pro Woche"),
    ],
)
def test_bad_input_gets_a_german_message_and_stores_nothing(app, learner, step, data, message):
    learner.post("/selbsteinschaetzung/starten")
    prior = [{"function": "fachkraft"}, ratings(), answers()]
    for number, values in enumerate(prior[: step - 1], start=1):
        learner.post(f"/selbsteinschaetzung/schritt/{number}", data=values)
    with app.app_context():
        before = db.session.scalar(sa.select(AssessmentAttempt)).answers
    response = learner.post(f"/selbsteinschaetzung/schritt/{step}", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert "Es wurde nichts gespeichert." in page
    with app.app_context():
        attempt = db.session.scalar(sa.select(AssessmentAttempt))
        assert attempt.answers == before
        assert attempt.next_step == step
    assert result_count(app) == 0


def test_unanswered_statements_are_marked_where_they_are(learner):
    learner.post("/selbsteinschaetzung/starten")
    learner.post("/selbsteinschaetzung/schritt/1", data={"function": "fachkraft"})
    left_out = {"b-grundlagen-1", "b-recht-2"}
    response = learner.post(
        "/selbsteinschaetzung/schritt/2",
        data={k: v for k, v in ratings().items() if k not in left_out},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Bitte bewerten Sie alle Aussagen (2 fehlen)." in page
    assert page.count("Bitte bewerten Sie diese Aussage.") == 2
    assert '<a href="#b-grundlagen-1-fehler">Zur ersten fehlenden Angabe</a>' in page
    for name in ratings():
        radios = re.findall(rf'<input type="radio" name="{name}"[^>]*>', page)
        assert len(radios) == 5
        marked = [r for r in radios if f'aria-invalid="true" aria-describedby="{name}-fehler"' in r]
        assert len(marked) == (5 if name in left_out else 0), name
        assert (f'id="{name}-fehler"' in page) is (name in left_out)


def test_unanswered_questions_are_marked_where_they_are(learner):
    learner.post("/selbsteinschaetzung/starten")
    learner.post("/selbsteinschaetzung/schritt/1", data={"function": "fachkraft"})
    learner.post("/selbsteinschaetzung/schritt/2", data=ratings())
    response = learner.post(
        "/selbsteinschaetzung/schritt/3",
        data={k: v for k, v in answers().items() if k != "c-recht-2"},
    )
    page = response.get_data(as_text=True)
    assert "Bitte beantworten Sie alle Fragen (1 fehlt)." in page
    assert page.count('aria-invalid="true"') == 3  # the three options of c-recht-2
    assert (
        '<p class="field__error" id="c-recht-2-fehler">Bitte beantworten Sie diese Frage.</p>'
        in page
    )


def test_a_step_cannot_be_skipped(app, learner):
    learner.post("/selbsteinschaetzung/starten")
    learner.post("/selbsteinschaetzung/schritt/1", data={"function": "fachkraft"})
    response = learner.post(
        "/selbsteinschaetzung/schritt/4", data={"volunteer": "ja", "hours": "3"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/schritt/2")
    follow = learner.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bitte beantworten Sie zuerst Schritt 2." in follow
    assert result_count(app) == 0
    with app.app_context():
        assert "volunteer" not in db.session.scalar(sa.select(AssessmentAttempt)).answers


def test_unknown_step_is_404(learner):
    learner.post("/selbsteinschaetzung/starten")
    assert learner.get("/selbsteinschaetzung/schritt/9").status_code == 404


def test_submitting_twice_stores_one_result(app, learner):
    first = take(learner)
    again = learner.post("/selbsteinschaetzung/schritt/4", data={"volunteer": "nein", "hours": "0"})
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert result_count(app) == 1


def test_reassessment_waits_for_the_interval(app, learner):
    take(learner)
    refused = learner.post("/selbsteinschaetzung/starten", follow_redirects=True)
    assert "Eine neue Selbsteinschätzung ist ab dem" in refused.get_data(as_text=True)
    with app.app_context():
        result = db.session.scalar(sa.select(AssessmentResult))
        result.completed_at = result.completed_at - timedelta(days=181)
        db.session.commit()
    take(learner, rating=4)
    assert result_count(app) == 2
    history = learner.get("/selbsteinschaetzung/verlauf").get_data(as_text=True)
    assert "(+1)" in history  # level 2 → 3 in each dimension (self 4, all right → 4; before 3)


def test_champion_path_is_offered_to_volunteers_with_time_and_level(app, learner):
    take(learner, rating=3, right=True, volunteer="ja", hours="3")
    with app.app_context():
        result = db.session.scalar(sa.select(AssessmentResult))
        assert result.path_role == "champion"  # the person's own result says so
        assignment = db.session.scalar(sa.select(PathAssignment))
        assert (assignment.role, assignment.champion_choice) == ("anwender", "offered")
    assert "KI-Champion werden?" in learner.get("/").get_data(as_text=True)
    chosen = learner.post("/lernpfad/champion-pfad", data={"decision": "ja"}, follow_redirects=True)
    assert "Ihr Lernpfad ist jetzt der Pfad für KI-Champions." in chosen.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(PathAssignment)).champion_choice == "confirmed"
        (event,) = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "path.champion_confirmed")
        ).all()
    assert "KI-Champion werden?" not in learner.get("/").get_data(as_text=True)


def test_a_declined_offer_can_be_taken_up_later(app, learner):
    take(learner, rating=3, right=True, volunteer="ja", hours="3")
    learner.post("/lernpfad/champion-pfad", data={"decision": "nein"})
    assert "KI-Champion werden?" not in learner.get("/").get_data(as_text=True)
    page = learner.get("/lernpfad/").get_data(as_text=True)
    assert "Sie können sich jederzeit umentscheiden." in page
    learner.post("/lernpfad/champion-pfad", data={"decision": "ja"})
    with app.app_context():
        assert db.session.scalar(sa.select(PathAssignment)).champion_choice == "confirmed"


@pytest.mark.parametrize("decision", ["ja", "vielleicht"])
def test_nobody_chooses_a_champion_path_they_were_not_offered(app, learner, decision):
    take(learner)  # no volunteering: no offer
    response = learner.post(
        "/lernpfad/champion-pfad", data={"decision": decision}, follow_redirects=True
    )
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(PathAssignment)).champion_choice is None


def test_hr_sees_neither_the_role_from_answers_nor_an_unconfirmed_champion_path(
    app, client, auth, people, content
):
    """HR page used to say "Aktuell: KI-Champion (aus der Selbsteinschätzung)", which gives away
    that the person volunteered and reached level 2 in two areas."""
    auth.login()
    take(client, rating=3, right=True, volunteer="ja", hours="3")
    auth.logout()
    auth.login("hr@example.org")
    url = f"/lernpfad/person/{people['learner']}/rolle"
    page = client.get(url).get_data(as_text=True)
    assert "Aktuell:" not in page and "selected" not in page
    assert "folgt der Selbsteinschätzung der Person" in page
    assert "von der Person selbst gewählt" not in page
    auth.logout()
    auth.login()
    client.post("/lernpfad/champion-pfad", data={"decision": "ja"})
    auth.logout()
    auth.login("hr@example.org")
    page = client.get(url).get_data(as_text=True)
    assert "Geht den Lernpfad für KI-Champions – von der Person selbst gewählt." in page
    assert "Aktuell:" not in page and "selected" not in page


def test_result_of_another_person_is_not_found(app, client, auth, people, content):
    auth.login()
    response = take(client)
    url = response.headers["Location"]
    auth.logout()
    for email in ("hr@example.org", "head@example.org", "champion@example.org", "gf@example.org"):
        auth.login(email)
        assert client.get(url).status_code == 404, email
        auth.logout()


def test_answers_never_show_on_hr_pages(app, client, auth, people, content):
    auth.login()
    take(client)
    auth.logout()
    auth.login("hr@example.org")
    page = client.get(f"/lernpfad/person/{people['learner']}/rolle").get_data(as_text=True)
    assert "Ich kann" not in page and "Wissenscheck" not in page
    assert "folgt der Selbsteinschätzung der Person" in page


def test_hr_override_with_reason_is_audited(app, client, auth, people, content):
    auth.login()
    take(client)
    auth.logout()
    auth.login("hr@example.org")
    url = f"/lernpfad/person/{people['learner']}/rolle"
    missing = client.post(url, data={"role": "fachbereichsleitung", "reason": ""})
    assert missing.status_code == 400
    assert "Bitte geben Sie eine Begründung an." in missing.get_data(as_text=True)
    bad = client.post(url, data={"role": "kaiser", "reason": "Ein ausreichend langer Grund."})
    assert bad.status_code == 400
    ok = client.post(
        url,
        data={
            "role": "fachbereichsleitung",
            "nominated": "y",
            "reason": "Leitet ab Januar das Team Einkauf.",
        },
    )
    assert ok.status_code == 302
    with app.app_context():
        assignment = db.session.scalar(sa.select(PathAssignment))
        assert (assignment.role, assignment.nominated_champion, assignment.source) == (
            "fachbereichsleitung",
            True,
            "hr",
        )
        (event,) = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "path.override")
        ).all()
        assert event.action == "path.override"
        assert event.details["reason"] == "Leitet ab Januar das Team Einkauf."
        # "before" holds only what HR may know: not the role the person's answers gave.
        assert event.details["before"] == {"role": None, "set_by_hr": False, "champion": None}
        assert event.subject_id == people["learner"] and event.actor_id == people["hr"]


def test_learner_cannot_override(client, auth, people, content):
    auth.login()
    assert client.get(f"/lernpfad/person/{people['learner']}/rolle").status_code == 403


def test_path_page_before_assessment_invites_to_start(learner):
    page = learner.get("/lernpfad/").get_data(as_text=True)
    assert "Selbsteinschätzung starten" in page


def test_path_shows_steps_in_preparation(app, client, auth, people, tmp_path):
    from lernpfad.content.services import sync_content
    from tests.content_factory import write_content

    tree = write_content(tmp_path / "c", paths_extra=["kommt-noch"])
    with app.app_context():
        sync_content(tree)
        db.session.commit()
    auth.login()
    take(client)
    page = client.get("/lernpfad/").get_data(as_text=True)
    assert "in Vorbereitung" in page and "kommt-noch" in page


def test_knowledge_options_are_shuffled_but_keep_their_content_index(learner):
    learner.post("/selbsteinschaetzung/starten")
    learner.post("/selbsteinschaetzung/schritt/1", data={"function": "fachkraft"})
    learner.post("/selbsteinschaetzung/schritt/2", data=ratings())
    page = learner.get("/selbsteinschaetzung/schritt/3").get_data(as_text=True)
    values = re.findall(r'name="(c-[^"]+)" value="(\d)"', page)
    assert values, "step 3 shows the knowledge questions"
    by_question: dict[str, list[str]] = {}
    for name, value in values:
        by_question.setdefault(name, []).append(value)
    for shown in by_question.values():
        assert sorted(shown) == [str(i) for i in range(len(shown))]
    # 14 questions of three options: the chance that all show in content order is 6**-14
    assert any(shown != sorted(shown) for shown in by_question.values())
