"""Who reads and who keeps the toolbox, saving with its audit entries, and bad input."""

import pytest
import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.extensions import db
from lernpfad.toolbox.models import Tool
from tests.helpers import login_client
from tests.toolbox.conftest import add_tool, add_use_case, valid_form

EVERYONE = [
    "learner@example.org",
    "champion@example.org",
    "head@example.org",
    "gf@example.org",
    "hr@example.org",
    "admin@example.org",
    "koordination@example.org",
]
EDITORS = {"admin@example.org", "koordination@example.org"}


def _tool_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Tool))


def test_everyone_reads_the_toolbox_only_editors_change_it(app, people, coordinator):
    with app.app_context():
        tool_id = add_tool(name="Lesbar").id
        db.session.commit()
    for email in EVERYONE:  # one app for all (a test's database is the slow part)
        editor = email in EDITORS
        client = login_client(app, email)
        page = client.get("/ki-toolbox/")
        assert page.status_code == 200, email
        html = page.get_data(as_text=True)
        assert 'href="/ki-toolbox/"' in html and "KI-Toolbox</a>" in html, email  # navigation
        assert client.get(f"/ki-toolbox/{tool_id}").status_code == 200, email
        assert ("Werkzeug erfassen" in html) is editor, email
        expected = 200 if editor else 403
        assert client.get("/ki-toolbox/neu").status_code == expected, email
        assert client.get(f"/ki-toolbox/{tool_id}/bearbeiten").status_code == expected, email
        name = f"Geändert von {email}"
        posted = client.post(f"/ki-toolbox/{tool_id}/bearbeiten", data=valid_form(name=name))
        assert posted.status_code == (302 if editor else 403), email
        with app.app_context():
            assert (db.session.get(Tool, tool_id).name == name) is editor, email


def test_anonymous_visitors_are_sent_to_login(client):
    assert client.get("/ki-toolbox/").status_code == 302


def test_an_unknown_tool_is_not_found(app, people):
    client = login_client(app, "admin@example.org")
    assert client.get("/ki-toolbox/99").status_code == 404
    assert client.get("/ki-toolbox/99/bearbeiten").status_code == 404


def test_creating_and_approving_a_tool_is_audited(app, people, coordinator):
    with app.app_context():
        use_case_id = add_use_case().id
        db.session.commit()
    client = login_client(app, "koordination@example.org")
    created = client.post("/ki-toolbox/neu", data=valid_form(use_cases=str(use_case_id)))
    assert created.status_code == 302
    with app.app_context():
        tool = db.session.scalar(sa.select(Tool))
        assert (tool.status, tool.data_class, tool.has_dpa, tool.monthly_cost_eur) == (
            "in_pruefung",
            "gelb",
            True,
            450,
        )
        assert tool.review_on.isoformat() == "2027-03-31"
        assert [u.id for u in tool.use_cases] == [use_case_id]
        tool_id = tool.id
    approved = client.post(
        f"/ki-toolbox/{tool_id}/bearbeiten",
        data=valid_form(status="freigegeben", review_on="30.06.2027", use_cases=str(use_case_id)),
    )
    assert approved.status_code == 302
    # Saving without a change writes no entry.
    again = client.post(
        f"/ki-toolbox/{tool_id}/bearbeiten",
        data=valid_form(status="freigegeben", review_on="2027-06-30", use_cases=str(use_case_id)),
    )
    assert again.status_code == 302
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action.like("toolbox.%")).order_by(AuditEvent.id)
        ).all()
        assert [e.action for e in events] == ["toolbox.tool_created", "toolbox.tool_updated"]
        assert all(e.actor_id == coordinator for e in events)
        assert events[0].details == {
            "tool": "Schreibhilfe",
            "tool_id": tool_id,
            "status": "in_pruefung",
            "use_cases": [use_case_id],
        }
        assert events[1].details == {
            "tool": "Schreibhilfe",
            "tool_id": tool_id,
            "fields": ["status", "review_on"],
            "before": "in_pruefung",
            "after": "freigegeben",
        }
    page = client.get(f"/ki-toolbox/{tool_id}").get_data(as_text=True)
    assert "freigegeben" in page and "Antwortentwürfe" in page and "30.06.2027" in page
    # The audit log names the kinds in German.
    log = login_client(app, "hr@example.org").get("/protokoll/").get_data(as_text=True)
    assert "Werkzeug in die KI-Toolbox aufgenommen" in log
    assert "Werkzeug der KI-Toolbox geändert" in log


BAD_INPUT = [
    (
        {"data_class": "blau"},
        "data_class",
        "Bitte wählen Sie eine Datenklasse aus der Liste (Grün, Gelb oder Rot).",
    ),
    ({"status": "erlaubt"}, "status", "Bitte wählen Sie einen Status aus der Liste."),
    ({"hosting_region": "mond"}, "hosting_region", "Bitte wählen Sie einen Ort aus der Liste."),
    ({"review_on": "31.02.2027"}, "review_on", "Bitte geben Sie ein gültiges Datum an"),
    ({"review_on": "nächste Woche"}, "review_on", "Bitte geben Sie ein gültiges Datum an"),
    ({"name": "  "}, "name", "Bitte geben Sie den Namen des Werkzeugs ein."),
    ({"provider": None}, "provider", "Bitte nennen Sie den Anbieter."),
    ({"purpose": ""}, "purpose", "Bitte beschreiben Sie, wofür das Werkzeug gedacht ist."),
    ({"owner": ""}, "owner", "Bitte nennen Sie, wer verantwortlich ist."),
    ({"monthly_cost_eur": "-5"}, "monthly_cost_eur", "Bitte geben Sie einen Betrag von 0"),
    ({"monthly_cost_eur": "zehn"}, "monthly_cost_eur", "ganze Zahl"),
    ({"status": "freigegeben"}, "status", "Ein neues Werkzeug beginnt „in Prüfung“"),
    ({"name": "Vorhanden"}, "name", "Ein Werkzeug mit diesem Namen steht schon in der Toolbox."),
    ({"name": "VORHANDEN"}, "name", "Ein Werkzeug mit diesem Namen steht schon in der Toolbox."),
    ({"name": "A\u202eB"}, "name", "Steuerzeichen"),
    (
        {"status": "nicht_zugelassen", "use_cases": "USE_CASE"},
        "use_cases",
        "Ein nicht zugelassenes Werkzeug dient keinem Anwendungsfall.",
    ),
    ({"use_cases": "99999"}, "use_cases", "Diese Auswahl ist nicht möglich."),
]


def test_bad_input_is_refused_next_to_its_field_and_nothing_is_stored(app, people):
    with app.app_context():
        add_tool(name="Vorhanden")
        use_case_id = add_use_case().id
        db.session.commit()
    client = login_client(app, "admin@example.org")
    for changes, field, message in BAD_INPUT:  # one app for all cases
        changes = {k: str(use_case_id) if v == "USE_CASE" else v for k, v in changes.items()}
        response = client.post("/ki-toolbox/neu", data=valid_form(**changes))
        assert response.status_code == 400, changes
        html = response.get_data(as_text=True)
        assert "Bitte korrigieren Sie:" in html, changes  # the summary at the top
        target = f"{field}-0" if field == "use_cases" else field
        assert f'href="#{target}"' in html, changes
        error_id = f'id="{field}-fehler"'
        assert error_id in html, changes
        assert message in html[html.index(error_id) : html.index(error_id) + 400], changes
    assert _tool_count(app) == 1  # only "Vorhanden"
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action.like("toolbox.%"))
            )
            == 0
        )


@pytest.mark.parametrize(
    ("stored", "changes", "field", "message"),
    [
        # approving for personal data without a data-processing agreement
        (
            {"status": "in_pruefung"},
            {"status": "freigegeben", "has_dpa": None},
            "data_class",
            "Ohne Auftragsverarbeitungsvertrag (AVV)",
        ),
        # a refused tool goes back to review before any approval
        (
            {"status": "nicht_zugelassen"},
            {"status": "freigegeben"},
            "status",
            "Dieser Statuswechsel ist nicht vorgesehen",
        ),
        # a tool that serves a use case cannot be refused while it still serves it
        (
            {"status": "freigegeben", "linked": True},
            {"status": "nicht_zugelassen", "use_cases": "USE_CASE"},
            "use_cases",
            "Ein nicht zugelassenes Werkzeug dient keinem Anwendungsfall.",
        ),
    ],
)
def test_changes_against_the_rules_are_refused_and_change_nothing(
    app, people, stored, changes, field, message
):
    with app.app_context():
        use_case = add_use_case()
        tool = add_tool(
            name="Schreibhilfe",
            status=stored["status"],
            use_cases=[use_case] if stored.get("linked") else [],
        )
        tool_id, use_case_id = tool.id, use_case.id
        db.session.commit()
    changes = {k: str(use_case_id) if v == "USE_CASE" else v for k, v in changes.items()}
    client = login_client(app, "admin@example.org")
    response = client.post(f"/ki-toolbox/{tool_id}/bearbeiten", data=valid_form(**changes))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    error_id = f'id="{field}-fehler"'
    assert message in html[html.index(error_id) : html.index(error_id) + 400]
    with app.app_context():
        tool = db.session.get(Tool, tool_id)
        assert tool.status == stored["status"]
        assert tool.provider == "Beispiel KI GmbH" and tool.monthly_cost_eur is None
        assert [u.id for u in tool.use_cases] == ([use_case_id] if stored.get("linked") else [])


def test_refusing_a_tool_after_removing_its_use_cases_is_allowed(app, people):
    with app.app_context():
        use_case = add_use_case()
        tool_id = add_tool(use_cases=[use_case]).id
        db.session.commit()
    client = login_client(app, "admin@example.org")
    response = client.post(
        f"/ki-toolbox/{tool_id}/bearbeiten", data=valid_form(status="nicht_zugelassen")
    )
    assert response.status_code == 302
    with app.app_context():
        tool = db.session.get(Tool, tool_id)
        assert tool.status == "nicht_zugelassen" and tool.use_cases == []


def test_the_list_filters_by_data_class_and_flags_due_reviews(app, people):
    from datetime import date

    with app.app_context():
        add_tool(name="Gelbwerk", data_class="gelb").review_on = date(2020, 1, 1)
        add_tool(name="Grünwerk", data_class="gruen")
        add_tool(name="Rotwerk im Test", status="in_pruefung", data_class="rot")
        db.session.commit()
    client = login_client(app, "learner@example.org")
    everything = client.get("/ki-toolbox/").get_data(as_text=True)
    assert all(name in everything for name in ("Gelbwerk", "Grünwerk", "Rotwerk im Test"))
    assert "fällig" in everything
    yellow = client.get("/ki-toolbox/?datenklasse=gelb").get_data(as_text=True)
    assert "Gelbwerk" in yellow and "Grünwerk" not in yellow and "Rotwerk" not in yellow
    red = client.get("/ki-toolbox/?datenklasse=rot").get_data(as_text=True)
    assert "Rotwerk" not in red and "noch kein Werkzeug freigegeben" in red
    unknown = client.get("/ki-toolbox/?datenklasse=lila")
    assert unknown.status_code == 200 and "Grünwerk" in unknown.get_data(as_text=True)


def test_only_administrators_are_offered_the_ki_koordination_on_a_person(app, people):
    person_page = f"/personen/{people['learner']}"
    offered = 'value="ai_coordination"'
    admin_page = login_client(app, "admin@example.org").get(person_page).get_data(as_text=True)
    assert offered in admin_page and "KI-Koordination" in admin_page
    hr_page = login_client(app, "hr@example.org").get(person_page).get_data(as_text=True)
    assert 'value="champion"' in hr_page and offered not in hr_page


def test_a_use_case_names_the_tools_that_serve_it(app, people):
    with app.app_context():
        served, bare = add_use_case("Mit Werkzeug"), add_use_case("Ohne Werkzeug")
        add_tool(name="Schreibhilfe", use_cases=[served])
        add_tool(name="Protokollant", status="in_pruefung", use_cases=[served])
        served_id, bare_id = served.id, bare.id
        db.session.commit()
    client = login_client(app, "head@example.org")
    html = client.get(f"/anwendungsfaelle/{served_id}").get_data(as_text=True)
    section = html[html.index("Werkzeuge aus der KI-Toolbox") :]
    assert section.index("Schreibhilfe") < section.index("Protokollant")  # usable first
    assert "in Prüfung" in section
    html = client.get(f"/anwendungsfaelle/{bare_id}").get_data(as_text=True)
    assert "Noch kein Werkzeug der KI-Toolbox ist diesem Anwendungsfall zugeordnet" in html


def test_a_name_saved_at_the_same_moment_elsewhere_is_refused_not_an_error(
    app, people, monkeypatch
):
    from lernpfad.toolbox import services

    client = login_client(app, "admin@example.org")
    original = services._problems

    def racing(tool, values, use_case_ids):
        problems = original(tool, values, use_case_ids)  # checked: the name is still free …
        add_tool(name=values["name"])  # … and taken by someone else before the save
        return problems

    monkeypatch.setattr(services, "_problems", racing)
    response = client.post("/ki-toolbox/neu", data=valid_form(name="Doppelt"))
    assert response.status_code == 400
    assert "Ein Werkzeug mit diesem Namen steht schon in der Toolbox." in response.get_data(
        as_text=True
    )
