"""The SSO rules as tables: claims → who signs in, and who may still use a password."""

import pytest

from lernpfad.auth.models import Role
from lernpfad.sso.rules import (
    Account,
    Decision,
    Outcome,
    Refusal,
    display_name,
    match_decision,
    password_login_allowed,
    verified_email,
)

ACTIVE = Account(active=True)
INACTIVE = Account(active=False)
ANONYMISED = Account(active=False, anonymised=True)
BOUND_ELSEWHERE = Account(active=True, bound_elsewhere=True)


@pytest.mark.parametrize(
    ("bound", "by_email", "verified", "create", "expected"),
    [
        # the bound identity decides, whatever the address says
        (ACTIVE, None, False, False, Decision(Outcome.LOGIN)),
        (ACTIVE, None, True, True, Decision(Outcome.LOGIN)),
        (INACTIVE, None, True, True, Decision(Outcome.REFUSE, Refusal.INACTIVE)),
        (ANONYMISED, None, True, True, Decision(Outcome.REFUSE, Refusal.ANONYMISED)),
        # not bound: only a verified address finds (or makes) an account
        (None, None, False, True, Decision(Outcome.REFUSE, Refusal.UNVERIFIED_EMAIL)),
        (None, ACTIVE, False, False, Decision(Outcome.REFUSE, Refusal.UNVERIFIED_EMAIL)),
        (None, ACTIVE, True, False, Decision(Outcome.BIND)),
        (None, INACTIVE, True, True, Decision(Outcome.REFUSE, Refusal.INACTIVE)),
        (None, ANONYMISED, True, True, Decision(Outcome.REFUSE, Refusal.ANONYMISED)),
        (None, BOUND_ELSEWHERE, True, True, Decision(Outcome.REFUSE, Refusal.OTHER_IDENTITY)),
        (None, None, True, False, Decision(Outcome.REFUSE, Refusal.UNKNOWN)),
        (None, None, True, True, Decision(Outcome.CREATE)),
    ],
)
def test_match_decision(bound, by_email, verified, create, expected):
    decision = match_decision(
        bound=bound, by_email=by_email, email_verified=verified, create_accounts=create
    )
    assert decision == expected


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"email": "Anna@Muster.example", "email_verified": True}, "anna@muster.example"),
        ({"email": "anna@muster.example", "email_verified": "true"}, "anna@muster.example"),
        ({"email": "anna@muster.example", "xms_edov": True}, "anna@muster.example"),  # Entra
        ({"email": "anna@muster.example", "xms_edov": "false"}, None),
        # A provider that says "not verified" is not overruled by a domain claim.
        ({"email": "anna@muster.example", "email_verified": False, "xms_edov": True}, None),
        ({"email": "anna@muster.example", "email_verified": False}, None),
        ({"email": "anna@muster.example", "email_verified": "false"}, None),
        ({"email": "anna@muster.example", "email_verified": 1}, None),
        ({"email": "anna@muster.example"}, None),  # no word on it: not vouched for
        ({"email_verified": True}, None),
        ({"email": "keine-adresse", "email_verified": True}, None),
        ({"email": ["anna@muster.example"], "email_verified": True}, None),
        ({"email": "a" * 250 + "@muster.example", "email_verified": True}, None),
        ({"email": "anna@muster.example\x00", "email_verified": True}, None),  # a 500 on PG
        ({"email": "anna\u202e@muster.example", "email_verified": True}, None),
        ({"email": "x-1@Anonym.invalid", "email_verified": True}, None),
    ],
)
def test_verified_email(claims, expected):
    assert verified_email(claims) == expected


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"name": " Anna Berger "}, "Anna Berger"),
        ({"name": "Anna\x00Berger"}, "anna"),  # PostgreSQL stores no NUL
        ({"name": "Anna\u202eBerger"}, "anna"),  # a direction override
        ({"name": "  "}, "anna"),
        ({"name": ["Anna"]}, "anna"),
        ({}, "anna"),
        ({"name": "A" * 300}, "A" * 200),
    ],
)
def test_display_name_of_a_new_account(claims, expected):
    assert display_name(claims, "anna@muster.example") == expected


@pytest.mark.parametrize(
    ("policy", "roles", "sso", "allowed"),
    [
        ("all", {Role.LEARNER}, True, True),
        ("all", {Role.LEARNER}, False, True),
        ("admins", {Role.LEARNER}, True, False),
        ("admins", {Role.LEARNER, Role.HR}, True, False),
        ("admins", {Role.LEARNER, Role.ADMIN}, True, True),
        ("admins", {Role.LEARNER}, False, True),  # SSO switched off: nobody is locked out
        ("nur-admins", {Role.LEARNER}, True, False),  # a typo reads as the stricter policy
    ],
)
def test_password_login_allowed(policy, roles, sso, allowed):
    assert password_login_allowed(policy, roles, sso_configured=sso) is allowed
