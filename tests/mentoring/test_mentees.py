"""HR asks a champion to look after single people besides whole departments. Such a mentee is
looked after like a colleague of the champion's departments: the champion reviews their hand-ins
and logs sessions with them; the mentee sees their champion. Use cases stay per department."""

import pytest
import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Person, Role
from lernpfad.extensions import db
from lernpfad.mentoring import services
from lernpfad.mentoring.models import ChampionMentee, MentoringSession
from tests.helpers import login_client as login
from tests.helpers import make_person
from tests.mentoring.test_mentee_picker import picker as picker_of
from tests.mentoring.test_review import hand_in, state, submission_id
from tests.mentoring.test_sessions import log
from tests.usecases.test_scope import add_use_case


@pytest.fixture
def company(app, people):
    """Mia works in Marketing, which nobody looks after; Mona is a second champion (Einkauf)."""
    with app.app_context():
        mia = make_person("mia@example.org", name="Mia Kurz", department_name="Marketing")
        mona = make_person(
            "mona@example.org", name="Mona Zweit", roles={Role.CHAMPION}, department_name="Einkauf"
        )
        db.session.commit()
        return {**people, "mia": mia.id, "mona": mona.id}


def assign(client, champion_id, mentee_id, **follow):
    return client.post(
        "/mentoring/zuordnung/person",
        data={"person-champion_id": champion_id, "person-mentee_id": mentee_id},
        **follow,
    )


def rows(app) -> list[tuple[int, int]]:
    with app.app_context():
        return [
            (r.champion_id, r.mentee_id)
            for r in db.session.scalars(sa.select(ChampionMentee).order_by(ChampionMentee.id))
        ]


def audit(app, action) -> list[tuple[int, int, dict]]:
    with app.app_context():
        return [
            (e.actor_id, e.subject_id, e.details)
            for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action))
        ]


def assigned(app, ids, champion="champion", mentee="mia") -> int:
    with app.app_context():
        row = services.assign_mentee(
            db.session.get(Person, ids[champion]),
            db.session.get(Person, ids[mentee]),
            db.session.get(Person, ids["hr"]),
        )
        db.session.commit()
        return row.id


def test_hr_assigns_and_removes_an_individual_mentee_audited(app, company):
    hr = login(app, "hr@example.org")
    page = hr.get("/mentoring/zuordnung").get_data(as_text=True)
    assert (
        "Persönlich betreute Personen" in page and "Noch ist niemand persönlich zugeordnet." in page
    )
    # The person picker is grouped by department and searchable (static/js/select-filter.js).
    assert '<optgroup label="Marketing">' in page and "data-select-filter" in page
    assert '<script src="/static/js/select-filter.js" defer></script>' in page
    done = assign(hr, company["champion"], company["mia"], follow_redirects=True)
    assert "Champion betreut jetzt Mia Kurz persönlich." in done.get_data(as_text=True)
    assert rows(app) == [(company["champion"], company["mia"])]
    assert audit(app, "mentee.assigned") == [
        (company["hr"], company["mia"], {"champion_id": company["champion"]})
    ]
    with app.app_context():
        row_id = db.session.scalar(sa.select(ChampionMentee.id))
    page = hr.get("/mentoring/zuordnung").get_data(as_text=True)
    assert f"/mentoring/zuordnung/person/{row_id}/entfernen" in page
    removed = hr.post(f"/mentoring/zuordnung/person/{row_id}/entfernen", follow_redirects=True)
    assert "Champion betreut Mia Kurz nicht mehr persönlich." in removed.get_data(as_text=True)
    assert rows(app) == []
    assert audit(app, "mentee.removed") == [
        (company["hr"], company["mia"], {"champion_id": company["champion"]})
    ]
    assert hr.post(f"/mentoring/zuordnung/person/{row_id}/entfernen").status_code == 404


def test_admins_assign_too(app, company):
    admin = login(app, "admin@example.org")
    assert assign(admin, company["mona"], company["mia"]).status_code == 302
    assert rows(app) == [(company["mona"], company["mia"])]


@pytest.mark.parametrize("who", ["learner", "champion", "head", "gf"])
def test_only_hr_and_admins_assign_mentees(app, company, who):
    row_id = assigned(app, company)
    client = login(app, f"{who}@example.org")
    assert assign(client, company["champion"], company["learner"]).status_code == 403
    assert client.post(f"/mentoring/zuordnung/person/{row_id}/entfernen").status_code == 403
    assert rows(app) == [(company["champion"], company["mia"])]
    assert audit(app, "mentee.removed") == []


def test_refusals_have_german_messages_and_change_nothing(app, company):
    assigned(app, company)
    with app.app_context():
        gone = make_person("gone@example.org", name="Gerd Gegangen")
        gone.active = False
        db.session.commit()
        gone_id = gone.id
    hr = login(app, "hr@example.org")
    cases = [
        ((company["champion"], company["mia"]), "Champion betreut Mia Kurz bereits."),
        (
            (company["mona"], company["mia"]),
            "Mia Kurz wird bereits von Champion persönlich betreut. Jede Person hat höchstens "
            "einen persönlichen KI-Champion",
        ),
        ((company["champion"], company["champion"]), "Ein KI-Champion kann sich nicht selbst"),
        ((company["learner"], company["mia"]), "Diese Auswahl ist nicht möglich."),  # no champion
        ((company["champion"], gone_id), "Diese Auswahl ist nicht möglich."),  # has left
        ((company["champion"], 999999), "Diese Auswahl ist nicht möglich."),
        (("abc", company["mia"]), "Bitte wählen Sie einen KI-Champion."),
        ((company["champion"], ""), "Bitte wählen Sie die Person."),
    ]
    for (champion, mentee), message in cases:
        response = assign(hr, champion, mentee)
        assert response.status_code == 400, (champion, mentee)
        assert message in response.get_data(as_text=True), (champion, mentee)
    assert rows(app) == [(company["champion"], company["mia"])]
    assert len(audit(app, "mentee.assigned")) == 1


def test_the_service_refuses_what_the_form_cannot_offer(app, company):
    with app.app_context():
        hr = db.session.get(Person, company["hr"])
        learner = db.session.get(Person, company["learner"])
        mia = db.session.get(Person, company["mia"])
        with pytest.raises(services.AssignmentRefused, match="Nur aktive KI-Champions"):
            services.assign_mentee(learner, mia, hr)
        mia.active = False
        with pytest.raises(services.AssignmentRefused, match="Mia Kurz ist nicht aktiv."):
            services.assign_mentee(db.session.get(Person, company["champion"]), mia, hr)
    assert rows(app) == []


def test_a_colleague_of_a_looked_after_department_can_still_be_named_personally(app, company):
    # The learner is in the champion's own department: the personal assignment names the contact
    # and outlasts department changes.
    assert assign(
        login(app, "hr@example.org"), company["mona"], company["learner"]
    ).status_code == (302)
    page = login(app, "learner@example.org").get("/lernpfad/").get_data(as_text=True)
    assert "Mona Zweit" in page and "<strong>Champion</strong>" in page


def test_the_champion_reviews_an_individual_mentees_hand_in(app, company, content):
    mia = login(app, "mia@example.org")
    hand_in(mia)
    handed = submission_id(app, "mia@example.org")
    champion = login(app, "champion@example.org")
    # Before the assignment: Marketing is not the champion's — not even its existence is shown.
    assert "Mia Kurz" not in champion.get("/mentoring/").get_data(as_text=True)
    assert champion.get(f"/mentoring/abgabe/{handed}").status_code == 404
    row_id = assigned(app, company)
    queue = champion.get("/mentoring/").get_data(as_text=True)
    assert "Mia Kurz" in queue and "Persönlich betreut: Mia Kurz." in queue
    assert champion.get(f"/mentoring/abgabe/{handed}").status_code == 200
    # Another champion still gets a 404.
    mona = login(app, "mona@example.org")
    assert mona.get(f"/mentoring/abgabe/{handed}").status_code == 404
    assert mona.post(f"/mentoring/abgabe/{handed}", data={"decision": "annehmen"}).status_code == (
        404
    )
    # Removed again: out of scope again.
    login(app, "hr@example.org").post(f"/mentoring/zuordnung/person/{row_id}/entfernen")
    assert champion.get(f"/mentoring/abgabe/{handed}").status_code == 404
    assigned(app, company)
    response = champion.post(
        f"/mentoring/abgabe/{handed}", data={"decision": "annehmen", "feedback": "Gut."}
    )
    assert response.status_code == 302
    assert state(app, "mia@example.org")[:3] == ("abgeschlossen", True, "accepted")


def test_a_deactivated_champion_no_longer_looks_after_the_mentee(app, company, content):
    hand_in(login(app, "mia@example.org"))
    handed = submission_id(app, "mia@example.org")
    assigned(app, company, champion="mona")
    with app.app_context():
        db.session.get(Person, company["mona"]).remove_role(Role.CHAMPION)
        db.session.commit()
        mona = db.session.get(Person, company["mona"])
        assert services.pending(mona, 10) == []
        assert services.individual_champion(db.session.get(Person, company["mia"])) is None
    page = login(app, "hr@example.org").get("/mentoring/zuordnung").get_data(as_text=True)
    assert "ruht: nicht aktiv oder kein KI-Champion" in page
    assert login(app, "champion@example.org").get(f"/mentoring/abgabe/{handed}").status_code == (
        404
    )


def test_sessions_can_be_logged_with_an_individual_mentee_only(app, company):
    champion = login(app, "champion@example.org")
    assert log(champion, company["mia"]).status_code == 400  # not looked after yet
    row_id = assigned(app, company)
    picker = picker_of(champion.get("/mentoring/sitzungen").get_data(as_text=True))
    assert f'<optgroup label="Marketing"><option value="{company["mia"]}">Mia Kurz' in picker
    assert log(champion, company["mia"]).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(MentoringSession.mentee_id)) == company["mia"]
    # Mona was never asked: Mia is not in her list.
    assert log(login(app, "mona@example.org"), company["mia"]).status_code == 400
    login(app, "hr@example.org").post(f"/mentoring/zuordnung/person/{row_id}/entfernen")
    assert "Mia Kurz" not in picker_of(champion.get("/mentoring/sitzungen").get_data(as_text=True))


def test_a_mentee_without_department_is_listed_on_its_own(app, company):
    with app.app_context():
        db.session.get(Person, company["mia"]).department = None
        db.session.commit()
    assigned(app, company)
    picker = login(app, "champion@example.org").get("/mentoring/sitzungen").get_data(as_text=True)
    mia = company["mia"]
    assert f'<optgroup label="Ohne Abteilung"><option value="{mia}">Mia Kurz' in picker


def test_the_mentee_sees_their_individual_champion_with_office_hours(app, company):
    with app.app_context():
        services.save_profile(db.session.get(Person, company["mona"]), "Mi 10–11 Uhr", "")
        db.session.commit()
    page = login(app, "mia@example.org").get("/lernpfad/").get_data(as_text=True)
    assert "Für Ihre Abteilung ist noch kein KI-Champion benannt." in page
    assigned(app, company, champion="mona")
    page = login(app, "mia@example.org").get("/lernpfad/").get_data(as_text=True)
    assert "Für Ihre Abteilung ist noch kein KI-Champion benannt." not in page
    assert "<strong>Mona Zweit</strong> <span" in page and "persönlich zugeordnet" in page
    assert "Sprechzeiten: <bdi>Mi 10–11 Uhr</bdi>" in page
    directory = login(app, "mia@example.org").get("/mentoring/champions").get_data(as_text=True)
    mine = directory.split("Für Sie zuständig", 1)[1].split("Alle KI-Champions", 1)[0]
    assert "Mona Zweit" in mine and "persönlich zugeordnet" in mine
    # Nobody else learns who is looked after personally.
    other = login(app, "learner@example.org").get("/mentoring/champions").get_data(as_text=True)
    assert "Mia Kurz" not in other and "persönlich zugeordnet" not in other
    champion_card = login(app, "mona@example.org").get("/lernpfad/").get_data(as_text=True)
    assert "Persönlich betreut: Mia Kurz." in champion_card


def test_individual_mentees_do_not_widen_the_use_case_scope(app, company):
    with app.app_context():
        case_id = add_use_case("Kampagnentexte", "Marketing")
        db.session.commit()
    assigned(app, company)
    champion = login(app, "champion@example.org")
    assert "Kampagnentexte" not in champion.get("/anwendungsfaelle/").get_data(as_text=True)
    assert champion.get(f"/anwendungsfaelle/{case_id}").status_code == 404


def test_anonymising_a_person_forgets_their_assignments_and_notes(app, company):
    assigned(app, company, champion="mona")
    with app.app_context():
        from lernpfad.mentoring.models import ChampionProfile
        from lernpfad.people.services import anonymise

        mona = db.session.get(Person, company["mona"])
        services.save_profile(mona, "Mo", "Tel. 1")
        mona.active = False
        anonymise(mona, db.session.get(Person, company["hr"]))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ChampionProfile)) == 0
    assert rows(app) == []


def test_the_mentees_export_names_their_champion(app, company):
    assigned(app, company, champion="mona")
    with app.app_context():
        services.save_profile(db.session.get(Person, company["mona"]), "Mo 9 Uhr", "")
        db.session.commit()
    mia = login(app, "mia@example.org").get("/meine-daten/export.json").get_json()
    assert [row["champion"] for row in mia["ihr_persoenlicher_champion"]] == ["Mona Zweit"]
    mona = login(app, "mona@example.org").get("/meine-daten/export.json").get_json()
    assert mona["ihre_angaben_als_champion"][0]["sprechzeiten"] == "Mo 9 Uhr"
    assert "Mia Kurz" not in str(mona)  # the champion's export names no mentee
