"""The documentation's pure rules: person references, the role matrix, the DPIA screening."""

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import Role
from lernpfad.documentation import rules


def _metadata() -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table("people", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "visits",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("visitor_id", sa.ForeignKey("people.id")),
    )
    sa.Table(
        "mails",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("recipient", sa.String),
    )
    sa.Table(
        "lookups",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("client", sa.String),
    )
    sa.Table(
        "content",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String),
    )
    sa.Table(
        "figures",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ids", sa.JSON),
    )
    return metadata


def test_person_tables_are_found_by_foreign_key_column_name_and_explicit_list():
    metadata = _metadata()
    assert rules.person_tables(metadata) == {"people", "visits", "mails", "lookups"}
    assert rules.person_tables(metadata, keyed={"figures", "gone"}) == {
        "people",
        "visits",
        "mails",
        "lookups",
        "figures",
    }
    assert rules.person_reference_columns(metadata.tables["visits"]) == ["visitor_id"]
    assert rules.person_reference_columns(metadata.tables["content"]) == []


def _view(**marks):
    def view():
        return None

    for name, value in marks.items():
        setattr(view, name, value)
    return view


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        (_view(lernpfad_public=True), rules.PUBLIC),
        (_view(), rules.LOGIN),
        (_view(lernpfad_roles=frozenset({Role.HR})), frozenset({Role.HR})),
        (_view(lernpfad_roles=frozenset()), rules.LOGIN),
    ],
)
def test_access_of_reads_the_marks(view, expected):
    assert rules.access_of(view) == expected


@pytest.mark.parametrize(
    ("access", "role", "expected"),
    [
        (rules.PUBLIC, Role.LEARNER, True),
        (rules.LOGIN, Role.DPO, True),
        (frozenset({Role.HR, Role.ADMIN}), Role.ADMIN, True),
        (frozenset({Role.HR, Role.ADMIN}), Role.DPO, False),
        (frozenset({Role.HR}), Role.LEARNER, False),
    ],
)
def test_may_open(access, role, expected):
    assert rules.may_open(access, role) is expected


def test_role_matrix_groups_by_blueprint_in_order_with_one_answer_per_role():
    roles = (Role.LEARNER, Role.HR, Role.DPO)
    routes = [
        rules.Route("a.one", ("/a",), ("GET",), rules.LOGIN),
        rules.Route("b.one", ("/b",), ("GET", "POST"), frozenset({Role.HR})),
        rules.Route("a.two", ("/a/2",), ("GET",), rules.PUBLIC),
    ]
    areas = rules.role_matrix(routes, roles)
    assert [area.blueprint for area in areas] == ["a", "b"]
    assert [row.endpoint for row in areas[0].rows] == ["a.one", "a.two"]
    assert areas[0].rows[0].allowed == (True, True, True)
    assert areas[0].rows[1].public is True
    assert areas[1].rows[0].allowed == (False, True, False)


@pytest.mark.parametrize(
    ("individual", "lrs", "sso", "scoring", "matching", "result"),
    [
        (False, False, False, "partly", "no", "consider"),
        (True, False, False, "yes", "no", "recommended"),
        (False, True, False, "partly", "yes", "recommended"),
        (False, False, True, "partly", "partly", "consider"),
    ],
)
def test_dpia_screening_follows_the_configuration(individual, lrs, sso, scoring, matching, result):
    answers = rules.dpia_screening(individual_mode=individual, lrs=lrs, sso=sso)
    assert set(answers) == set(rules.CRITERIA)
    assert answers["scoring"] == scoring
    assert answers["matching"] == matching
    assert answers["vulnerable"] == "yes"
    assert rules.dpia_result(answers) == result


@pytest.mark.parametrize(
    ("answers", "result"),
    [
        ({"a": "no", "b": "no"}, "not_required"),
        ({"a": "yes", "b": "no"}, "not_required"),
        ({"a": "yes", "b": "partly"}, "consider"),
        ({"a": "partly", "b": "partly"}, "consider"),
        ({"a": "yes", "b": "yes"}, "recommended"),
        ({"a": "open", "b": "yes"}, "not_required"),
    ],
)
def test_dpia_result(answers, result):
    assert rules.dpia_result(answers) == result
