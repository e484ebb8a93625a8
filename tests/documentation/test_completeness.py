"""The documentation describes the running application completely: every table with a person
reference, every blueprint of the role matrix, and a matrix equal to the access marks."""

from lernpfad.auth.models import Role
from lernpfad.documentation import rules, services, texts
from lernpfad.extensions import db


def test_every_table_with_a_person_reference_is_described(app):
    with app.app_context():
        with_person = rules.person_tables(db.metadata, texts.PERSON_KEYED_TABLES)
    missing = sorted(with_person - set(texts.PERSONAL_TABLES))
    assert not missing, f"tables with personal data but no description in texts.py: {missing}"
    # The lead's newest tables are among them (or, without a person, among the others).
    assert {"audit_events", "privacy_mode_changes", "people"} <= with_person
    assert "audit_chain_head" in texts.OTHER_TABLES


def test_every_table_is_described_once_and_no_description_is_stale(app):
    with app.app_context():
        tables = set(db.metadata.tables)
    personal, other = set(texts.PERSONAL_TABLES), set(texts.OTHER_TABLES)
    assert not personal & other
    assert sorted(personal - tables) == [], "described tables that do not exist"
    assert sorted(other - tables) == [], "described tables that do not exist"
    assert sorted(tables - personal - other) == [], "tables missing from texts.py"
    assert texts.PERSON_KEYED_TABLES <= personal


def test_descriptions_name_known_retention_rules_and_matrix_areas(app):
    for name, text in texts.PERSONAL_TABLES.items():
        assert text.retention in texts.RETENTION, name
        assert set(text.areas) <= set(texts.BLUEPRINT_LABELS), name
        for field in (text.title, text.stored, text.purpose, text.legal_basis, text.audience):
            assert str(field).strip(), name
    for _text, settings in texts.RETENTION.values():
        assert set(settings.values()) <= set(app.config), settings


def test_retention_is_read_from_the_settings(app_factory):
    app = app_factory(RETENTION_ANSWERS_MONTHS=13, LOGIN_FAILURE_WINDOW_MINUTES=45)
    with app.app_context():
        described = {t.name: t for t in services.table_descriptions(app.config)}
    assert "13 Monate" in described["assessment_attempts"].retention
    assert "45 Minuten" in described["login_failures"].retention


def test_every_blueprint_has_a_label_and_no_endpoint_label_is_stale(app):
    unlabelled = sorted(set(app.blueprints) - set(texts.BLUEPRINT_LABELS))
    assert not unlabelled, f"blueprints without a label in documentation/texts.py: {unlabelled}"
    stale = sorted(set(texts.ENDPOINT_LABELS) - set(app.view_functions))
    assert not stale, f"labels of endpoints that do not exist: {stale}"
    assert set(texts.EXTRA_RIGHT_ENDPOINTS) <= set(app.view_functions)


def test_the_matrix_agrees_with_the_access_marks_of_every_endpoint(app):
    with app.app_context():
        matrix = services.role_matrix()
    rows = {row.endpoint: row for area in matrix for row in area.rows}
    assert set(rows) == set(app.view_functions) - {"static"}
    for endpoint, view in app.view_functions.items():
        if endpoint == "static":
            continue
        public = getattr(view, "lernpfad_public", False)
        marked = getattr(view, "lernpfad_roles", None)
        expected = tuple(public or not marked or role in marked for role in services.MATRIX_ROLES)
        assert rows[endpoint].allowed == expected, endpoint
        assert rows[endpoint].public is bool(public), endpoint
    assert services.MATRIX_ROLES == tuple(Role)
    assert rows["documentation.index"].allowed == tuple(
        role in {Role.DPO, Role.HR, Role.ADMIN} for role in Role
    )
