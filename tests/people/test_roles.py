"""Role changes: nobody changes their own roles, HR and admin are granted by an admin only, and
every grant and removal — by form, CSV import, command line or anonymisation — is audited."""

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Person, Role
from lernpfad.extensions import db
from lernpfad.people import rules
from lernpfad.people.services import RoleChangeRefused, set_roles
from tests.helpers import login_client

L, C, D, H, A, F = (
    Role.LEARNER,
    Role.CHAMPION,
    Role.DEPARTMENT_HEAD,
    Role.HR,
    Role.ADMIN,
    Role.LEADERSHIP,
)


@pytest.mark.parametrize(
    ("actor", "own", "before", "after", "problem"),
    [
        ({L, H}, False, {L}, {L, C}, None),
        ({L, H}, False, {L, C}, {L}, None),
        ({L, H}, False, {L}, {L, D, F}, None),
        ({L, H}, False, {L}, {L, H}, "admin_only"),
        ({L, H}, False, {L}, {L, A}, "admin_only"),
        ({L, H}, False, {L, A}, {L}, "admin_only"),  # nor take it away
        ({L, H}, False, {L, H, C}, {L, H}, None),  # other roles of an HR colleague
        ({L, A}, False, {L}, {L, H, A}, None),
        ({L, A}, False, {L, H}, {L}, None),
        ({L, A}, True, {L, A}, {L, A, H}, "own_roles"),
        ({L, H}, True, {L, H}, {L, H, C}, "own_roles"),
        ({L, C}, False, {L}, {L, C}, "not_allowed"),
        ({L, D}, False, {L}, {L, C}, "not_allowed"),
        ({L, H}, True, {L, H}, {L, H}, None),  # nothing changes
        (None, False, {L}, {L, H, A}, None),  # the command line
    ],
)
def test_role_change_problem(actor, own, before, after, problem):
    assert rules.role_change_problem(actor, own=own, before=before, after=after) == problem


@pytest.mark.parametrize(
    ("actor", "grantable"),
    [
        ({L, A}, set(Role)),
        ({L, H}, {L, C, D, F}),
        ({L, C, D}, set()),
        (None, set(Role)),
    ],
)
def test_grantable_roles(actor, grantable):
    assert rules.grantable_roles(actor) == grantable


def audit(app, action=None) -> list[tuple]:
    with app.app_context():
        query = sa.select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return [
            (e.action, e.actor_id, e.subject_id, e.details.get("role"), e.details.get("via"))
            for e in db.session.scalars(query)
            if e.action.startswith("role.")
        ]


def person_id(app, email) -> int | None:
    with app.app_context():
        return db.session.scalar(sa.select(Person.id).where(Person.email == email))


def invite(client, roles):
    return client.post(
        "/personen/neu",
        data={"name": "Nora Neu", "email": "nora@example.org", "department_id": 0, "roles": roles},
    )


def test_form_hr_cannot_grant_hr_or_admin(app, people):
    hr = login_client(app, "hr@example.org")
    page = hr.get("/personen/neu").get_data(as_text=True)
    assert 'value="champion"' in page and 'value="hr"' not in page and 'value="admin"' not in page
    for role in ("hr", "admin"):
        refused = invite(hr, ["champion", role])
        assert refused.status_code == 400
        assert "Diese Auswahl ist nicht möglich." in refused.get_data(as_text=True)
    assert person_id(app, "nora@example.org") is None


def test_form_grants_are_audited(app, people):
    before = audit(app)
    assert invite(login_client(app, "admin@example.org"), ["hr", "champion"]).status_code == 200
    nora = person_id(app, "nora@example.org")
    assert audit(app)[len(before) :] == [
        ("role.granted", people["admin"], nora, "champion", "form"),
        ("role.granted", people["admin"], nora, "hr", "form"),
    ]


def upload(client, text):
    data = {
        "file": (io.BytesIO(text.encode()), "staff.csv"),
        "action": "importieren",
    }
    return client.post("/personen/import", data=data, content_type="multipart/form-data")


def test_import_hr_cannot_grant_hr_and_nothing_is_imported(app, people):
    text = "Name;E-Mail;Rollen\nOla;ola@example.org;KI-Champion\nPia;pia@example.org;HR\n"
    response = upload(login_client(app, "hr@example.org"), text)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "diese Rolle vergibt nur die Administration (hr)" in page
    assert person_id(app, "ola@example.org") is None


def test_import_grants_are_audited(app, people):
    before = audit(app)
    text = "Name;E-Mail;Rollen\nPia;pia@example.org;HR, Fachbereichsleitung\n"
    assert upload(login_client(app, "admin@example.org"), text).status_code == 200
    pia = person_id(app, "pia@example.org")
    assert audit(app)[len(before) :] == [
        ("role.granted", people["admin"], pia, "department_head", "import"),
        ("role.granted", people["admin"], pia, "hr", "import"),
    ]


def test_command_line_grants_are_audited(app, runner):
    result = runner.invoke(
        args=[
            "lernpfad",
            "create-admin",
            "--email",
            "chefin@example.org",
            "--name",
            "Chefin",
            "--password",
            "ein sehr gutes passwort",
        ]
    )
    assert result.exit_code == 0, result.output
    chefin = person_id(app, "chefin@example.org")
    assert audit(app) == [
        ("role.granted", None, chefin, "admin", "cli"),
        ("role.granted", None, chefin, "hr", "cli"),
    ]


def test_anonymisation_removals_are_audited(app, people):
    hr = login_client(app, "hr@example.org")
    assert (
        hr.post(
            f"/personen/{people['champion']}/deaktivieren", data={"confirmed": "ja"}
        ).status_code
        == 302
    )
    response = hr.post(f"/personen/{people['champion']}/anonymisieren", data={"confirmed": "ja"})
    assert response.status_code == 302
    assert audit(app, "role.removed") == [
        ("role.removed", people["hr"], people["champion"], "champion", "anonymisation")
    ]


def test_nobody_changes_their_own_roles(app, people):
    with app.app_context():
        admin = db.session.get(Person, people["admin"])
        with pytest.raises(RoleChangeRefused, match="own_roles"):
            set_roles(admin, {Role.ADMIN, Role.HR}, actor=admin, via="form")
        db.session.rollback()
        assert db.session.get(Person, people["admin"]).roles == {Role.LEARNER, Role.ADMIN}


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        ("hr", "admin", False),
        ("hr", "hr", False),  # themselves
        ("hr", "champion", True),
        ("admin", "admin", False),  # themselves
        ("admin", "hr", True),
    ],
)
def test_deactivation_follows_the_role_rules(app, people, actor, target, allowed):
    client = login_client(app, f"{actor}@example.org")
    response = client.post(
        f"/personen/{people[target]}/deaktivieren", data={"confirmed": "ja"}, follow_redirects=True
    )
    assert response.status_code == (200 if allowed else 400)
    with app.app_context():
        assert db.session.get(Person, people[target]).active is not allowed


PACKAGE = Path(__file__).resolve().parents[2] / "lernpfad"
ROLE_WRITERS = ("add_role(", "remove_role(", "PersonRole(", "role_rows =", "role_rows.append")


def test_roles_are_only_set_through_the_audited_service():
    """A new way to set roles (a form, the API …) must go through people.services.set_roles."""
    allowed = {PACKAGE / "auth" / "models.py", PACKAGE / "people" / "services.py"}
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in PACKAGE.rglob("*.py")
        if path not in allowed
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if any(writer in line for writer in ROLE_WRITERS)
    ]
    assert offenders == []
    services = (PACKAGE / "people" / "services.py").read_text()
    # Inside the service, only set_roles and the audited erasure touch roles.
    assert services.count("add_role(") == 1 and services.count("remove_role(") == 2
