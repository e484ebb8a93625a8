"""The staff import's update and full-sync rules, without a database: what changes on an existing
person, which roles the import may touch, who a full sync deactivates."""

import pytest

from lernpfad.auth.models import Role
from lernpfad.people.rules import (
    CHANGED,
    INACTIVE,
    NEW,
    UNCHANGED,
    Change,
    Current,
    check,
    differences,
    grantable_roles,
    plan_import,
)

L, C, H, HR, A, LEAD = (
    Role.LEARNER,
    Role.CHAMPION,
    Role.DEPARTMENT_HEAD,
    Role.HR,
    Role.ADMIN,
    Role.LEADERSHIP,
)
BY_HR = grantable_roles({HR})
BY_ADMIN = grantable_roles({A})


def person(roles=(), **values) -> Current:
    defaults = {
        "id": 1,
        "email": "p@example.org",
        "name": "Pia Paul",
        "department": "Vertrieb",
        "job_function": "Verkauf",
        "roles": frozenset({L, *roles}),
        "active": True,
    }
    return Current(**{**defaults, **values})


@pytest.mark.parametrize(
    ("current", "wanted", "grantable", "own", "changes", "roles_after", "notes"),
    [
        # the same values: nothing
        (person(), {"name": "Pia Paul", "department": "Vertrieb"}, BY_HR, False, [], None, []),
        # a column the file lacks changes nothing; an empty cell empties the field
        (person(), {}, BY_HR, False, [], None, []),
        (
            person(),
            {"department": "Einkauf", "job_function": ""},
            BY_HR,
            False,
            [Change("department", "Vertrieb", "Einkauf"), Change("job_function", "Verkauf", "")],
            None,
            [],
        ),
        (
            person(),
            {"name": "Pia Paul-Neu"},
            BY_HR,
            False,
            [Change("name", "Pia Paul", "Pia Paul-Neu")],
            None,
            [],
        ),
        # the line's roles replace the grantable ones
        (
            person(roles={C}),
            {"roles": {H}},
            BY_HR,
            False,
            [Change("roles", frozenset({C}), frozenset({H}))],
            frozenset({L, H}),
            [],
        ),
        (person(roles={C}), {"roles": {C}}, BY_HR, False, [], None, []),
        # an empty roles cell takes the grantable roles; HR's own and admin roles stay for HR
        (
            person(roles={C, HR}),
            {"roles": set()},
            BY_HR,
            False,
            [Change("roles", frozenset({C, HR}), frozenset({HR}))],
            frozenset({L, HR}),
            [],
        ),
        (person(roles={A}), {"roles": set()}, BY_HR, False, [], None, []),
        # … but an administrator may take them
        (
            person(roles={A, LEAD}),
            {"roles": {LEAD}},
            BY_ADMIN,
            False,
            [Change("roles", frozenset({A, LEAD}), frozenset({LEAD}))],
            frozenset({L, LEAD}),
            [],
        ),
        # the importer's own roles stay, with a note when the line names others
        (person(roles={HR}), {"roles": {C, HR}}, BY_HR, True, [], None, ["own_roles"]),
        (person(roles={HR}), {"roles": {HR}}, BY_HR, True, [], None, []),
        (
            person(roles={HR}),
            {"name": "Neu", "roles": set()},
            BY_HR,
            True,
            [Change("name", "Pia Paul", "Neu")],
            None,
            ["own_roles"],
        ),
    ],
)
def test_differences(current, wanted, grantable, own, changes, roles_after, notes):
    assert differences(current, wanted, grantable=grantable, own=own) == (
        changes,
        roles_after,
        notes,
    )


def row(email="p@example.org", **cells):
    return {"_line": 2, "name": "Pia Paul", "email": email, **cells}


@pytest.mark.parametrize(
    ("current", "cells", "actor_id", "status", "problems"),
    [
        (None, {}, None, NEW, []),
        # the page's own role names are understood ("Lernende/r" changes nothing)
        (person(roles={C}), {"roles": "Lernende/r, KI-Champion"}, None, UNCHANGED, []),
        (person(roles={HR}), {"roles": "HR / Personalentwicklung"}, None, UNCHANGED, []),
        (person(), {"department": "Vertrieb"}, None, UNCHANGED, []),
        (person(), {"department": "Einkauf"}, None, CHANGED, []),
        # an address in other case is the same person
        (person(email="p@example.org"), {"email": "P@Example.org"}, None, UNCHANGED, []),
        # an inactive person is left alone, whatever the line says
        (person(active=False), {"department": "Einkauf", "roles": "HR"}, None, INACTIVE, []),
        # HR names a role only administrators grant: fine where the person has it already …
        (person(roles={HR}), {"roles": "HR"}, None, UNCHANGED, []),
        # … a problem where it would be granted
        (person(), {"roles": "HR"}, None, "error", [("role_admin_only", "hr")]),
        (None, {"roles": "Administration"}, None, "error", [("role_admin_only", "administration")]),
        # the importer's own line: roles stay, no error
        (person(roles={HR}), {"roles": "Administration, KI-Champion"}, 1, UNCHANGED, []),
    ],
)
def test_check_against_stored_people(current, cells, actor_id, status, problems):
    people = {current.email: current} if current else {}
    (line,) = check([row(**cells)], people, BY_HR, actor_id=actor_id)
    assert (line.status, line.problems) == (status, problems)


def test_check_keeps_the_role_words_and_marks_own_roles():
    me = person(id=5, roles={HR})
    (line,) = check([row(roles="KI-Champion")], {me.email: me}, BY_HR, actor_id=5)
    assert line.notes == ["own_roles"] and line.roles_after is None and line.changes == []


STAFF = [
    person(id=1, email="me@example.org", name="Ich HR", roles={HR}),
    person(id=2, email="a@example.org", name="Anna", roles={C}),
    person(id=3, email="b@example.org", name="Bert"),
    person(id=4, email="admin@example.org", name="Ada Admin", roles={A}),
    person(id=5, email="dpo@example.org", name="Dora", roles={Role.DPO}),
    person(id=6, email="gone@example.org", name="Gerd", active=False),
    person(id=7, email="person-7@anonym.invalid", name="Ehemalige Person 7", active=False),
    person(id=8, email="c@example.org", name="carla"),
]
BY_EMAIL = {p.email: p for p in STAFF}


def sync(rows, actor_id=1, actor_roles=frozenset({HR}), full_sync=True):
    return plan_import(
        rows, BY_EMAIL, actor_id=actor_id, actor_roles=set(actor_roles), full_sync=full_sync
    )


def test_full_sync_deactivates_the_missing_ones_except_self_and_admins_for_hr():
    plan = sync([row("a@example.org", name="Anna")])
    assert [p.id for p in plan.deactivate] == [3, 8]  # Bert, carla: by name, case-blind
    assert [(p.id, why) for p, why in plan.kept] == [
        (4, "admin_only"),
        (5, "admin_only"),
        (1, "own_roles"),
    ]
    assert plan.needs_confirmation and not plan.sync_refused


def test_full_sync_by_an_admin_deactivates_hr_and_dpo_but_not_the_admin():
    plan = sync([row("a@example.org", name="Anna")], actor_id=4, actor_roles={A})
    assert [p.id for p in plan.deactivate] == [3, 8, 5, 1]  # Bert, carla, Dora, Ich HR
    assert [(p.id, why) for p, why in plan.kept] == [(4, "own_roles")]


def test_full_sync_of_a_file_with_errors_deactivates_nobody():
    plan = sync([row("a@example.org", name="Anna"), row("kaputt", name="X")])
    assert plan.sync_refused and plan.deactivate == [] and not plan.ok


def test_without_full_sync_nobody_is_deactivated():
    plan = sync([row("a@example.org", name="Anna")], full_sync=False)
    assert plan.deactivate == [] and plan.kept == [] and not plan.needs_confirmation


def test_the_digest_follows_what_the_import_would_do():
    rows = [row("a@example.org", name="Anna")]
    first = sync(rows)
    assert first.digest() == sync(rows).digest()
    assert first.digest() != sync(rows, full_sync=False).digest()
    assert first.digest() != sync([row("a@example.org", name="Anna B")]).digest()
    more = {**BY_EMAIL, "d@example.org": person(id=9, email="d@example.org", name="Dirk")}
    assert (
        first.digest()
        != plan_import(rows, more, actor_id=1, actor_roles={HR}, full_sync=True).digest()
    )
