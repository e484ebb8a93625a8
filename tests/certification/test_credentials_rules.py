"""The pure rules of the verifiable certificate (certification/credentials/rules.py)."""

from datetime import UTC, datetime

import pytest

from lernpfad.certification.credentials import rules


@pytest.mark.parametrize(
    ("address", "client"),
    [
        ("203.0.113.7", "ip:203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "ip:2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::9", "ip:2001:db8:1:2::/64"),  # the same /64: the same client
        ("::ffff:198.51.100.4", "ip:198.51.100.4"),
        ("", "ip:unknown"),
        (None, "ip:unknown"),
        ("not an address", "ip:unknown"),
    ],
)
def test_client_key(address, client):
    assert rules.client_key(address) == client


@pytest.mark.parametrize(
    ("recent", "limit", "allowed"),
    [(0, 30, True), (29, 30, True), (30, 30, False), (31, 30, False), (0, 0, False)],
)
def test_lookup_allowed(recent, limit, allowed):
    assert rules.lookup_allowed(recent, limit) is allowed


@pytest.mark.parametrize(
    ("requirements", "met", "numbers"),
    [
        (
            {
                "path": "champion",
                "exam_pass_percent": 80,
                "projects": 2,
                "sessions": 5,
                "mentees": 2,
                "checks": ["approval", "exam", "path", "mentoring", "projects"],
            },
            ["path", "exam", "projects", "mentoring", "approval"],
            {"exam_pass_percent": 80, "projects": 2, "sessions": 5, "mentees": 2},
        ),
        ({"checks": ["exam", "unknown"], "projects": True}, ["exam"], {}),
        ({}, [], {}),
        (None, [], {}),
        ({"checks": "exam"}, [], {}),
    ],
)
def test_met_requirements(requirements, met, numbers):
    assert rules.met_requirements(requirements) == (met, numbers)


def test_identity_hash_follows_the_open_badges_example():
    # OB 3.0, IdentityHash: 'a@example.com' salted with 'Kosher'.
    assert rules.identity_hash("a@example.com", "Kosher") == (
        "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
    )


def test_ids_are_stable_and_reveal_nothing():
    assert rules.credential_id("abc") == rules.credential_id("abc") != rules.credential_id("abd")
    assert rules.credential_id("abc").startswith("urn:uuid:")
    assert rules.holder_id(7, "secret") == rules.holder_id(7, "secret")
    assert rules.holder_id(7, "secret") != rules.holder_id(7, "other secret")
    assert rules.identity_salt("abc") == rules.identity_salt("abc") != rules.identity_salt("abd")


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 3, 1, 8, 30, 5, 123456, tzinfo=UTC), "2026-03-01T08:30:05Z"),
        (datetime(2026, 3, 1, 8, 30, 5), "2026-03-01T08:30:05Z"),  # naive means UTC
    ],
)
def test_iso(moment, text):
    assert rules.iso(moment) == text


def _credential(valid_until=datetime(2027, 3, 1, tzinfo=UTC)):
    return rules.open_badge_credential(
        credential_id="urn:uuid:1",
        name="KI-Champion",
        issuer=rules.Issuer(id="https://lp.example/credentials/issuer", name="Muster GmbH"),
        achievement=rules.Achievement(
            id="https://lp.example/a", name="KI-Champion", description="d", criteria="- x"
        ),
        holder=rules.Holder(id="urn:uuid:2", name="Lea", email="lea@example.org", salt="s"),
        awarded=datetime(2026, 3, 1, tzinfo=UTC),
        valid_from=datetime(2026, 3, 1, tzinfo=UTC),
        valid_until=valid_until,
        status=rules.StatusEntry(
            id="https://lp.example/verify/c.json", list_url="https://lp.example/l", index=5
        ),
    )


def test_jwt_claims_mirror_the_credential():
    credential = _credential()
    claims = rules.jwt_claims(credential)
    assert claims["iss"] == "https://lp.example/credentials/issuer"
    assert claims["jti"] == "urn:uuid:1"
    assert claims["sub"] == "urn:uuid:2"
    assert claims["nbf"] == int(datetime(2026, 3, 1, tzinfo=UTC).timestamp())
    assert claims["exp"] == int(datetime(2027, 3, 1, tzinfo=UTC).timestamp())
    assert {key: claims[key] for key in credential} == credential


def test_the_plain_address_never_enters_the_credential():
    credential = _credential()
    assert "lea@example.org" not in str(credential)
    (email,) = (
        i
        for i in credential["credentialSubject"]["identifier"]
        if i["identityType"] == "emailAddress"
    )
    assert email["hashed"] is True
    assert email["identityHash"] == rules.identity_hash("lea@example.org", "s")


@pytest.mark.parametrize("revoked", [set(), {0}, {5, 7}, {131071}, {200000}])
def test_status_list_round_trip(revoked):
    encoded = rules.encoded_status_list(revoked)
    assert encoded.startswith("u") and "=" not in encoded
    bits = rules.decode_status_list(encoded)
    assert len(bits) * 8 >= max(rules.STATUS_LIST_MIN_BITS, max(revoked, default=0) + 1)
    found = {index for index in range(len(bits) * 8) if bits[index // 8] & (0x80 >> (index % 8))}
    assert found == revoked
