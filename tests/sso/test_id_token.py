"""The ID token's checks (services.validate_id_token) with tokens made here: signature, issuer,
audience, expiry, nonce, azp and at_hash. A wrong nonce also through the real provider."""

import time

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from lernpfad.sso.services import LoginRefused, validate_id_token

ISSUER = "https://login.example/realms/muster"
CLIENT = "lernpfad"
NONCE = "n-0S6_WzA2Mj"
KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"}, private=True)
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"}, private=True)
KEYS = KeySet([KEY])


def token(key=KEY, alg="RS256", **changes) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": "248289761001",
        "aud": CLIENT,
        "exp": now + 300,
        "iat": now,
        "nonce": NONCE,
        "email": "anna@muster.example",
        "email_verified": True,
    }
    claims.update(changes)
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode({"alg": alg, "kid": "k1"}, claims, key, algorithms=[alg])


def validate(id_token: str, **changes):
    arguments = {"keys": KEYS, "issuer": ISSUER, "client_id": CLIENT, "nonce": NONCE}
    arguments.update(changes)
    return validate_id_token(id_token, **arguments)


def test_a_good_token_gives_its_claims():
    claims = validate(token())
    assert claims["sub"] == "248289761001" and claims["email"] == "anna@muster.example"


def test_an_audience_list_with_this_client_and_azp_is_accepted():
    assert validate(token(aud=[CLIENT, "other"], azp=CLIENT))["sub"]


@pytest.mark.parametrize(
    ("made", "what"),
    [
        (lambda: token(iss="https://evil.example/realms/muster"), "issuer"),
        (lambda: token(iss=None), "no issuer"),
        (lambda: token(aud="another-app"), "audience"),
        (lambda: token(aud=None), "no audience"),
        (lambda: token(aud=[CLIENT, "other"]), "several audiences without azp"),
        (lambda: token(azp="another-app"), "azp"),
        (lambda: token(exp=int(time.time()) - 120), "expired (beyond the leeway)"),
        (lambda: token(exp=None), "no expiry"),
        (lambda: token(nonce="another-nonce"), "nonce"),
        (lambda: token(nonce=None), "no nonce"),
        (lambda: token(sub=None), "no subject"),
        (lambda: token(sub="s" * 256), "a subject longer than any column"),
        (lambda: token(sub="2482\x0089761001"), "a NUL, which PostgreSQL cannot store"),
        (lambda: token(key=OTHER_KEY), "signed with another key"),
        (lambda: token()[:-4] + "AAAA", "signature changed"),
        (lambda: token(key=OctKey.import_key("s" * 32), alg="HS256"), "HMAC signature"),
        (lambda: "kein.jwt", "garbage"),
    ],
)
def test_a_bad_token_is_refused(made, what):
    with pytest.raises(LoginRefused) as refused:
        validate(made())
    assert refused.value.reason == "token", what


def test_an_unsigned_token_is_refused():
    header = "eyJhbGciOiJub25lIn0"  # {"alg":"none"}
    body = token().split(".")[1]
    with pytest.raises(LoginRefused):
        validate(f"{header}.{body}.")


def test_a_mismatching_access_token_hash_is_refused():
    with pytest.raises(LoginRefused):
        validate(token(at_hash="AAAAAAAAAAAAAAAAAAAAAA"), access_token="the-access-token")


def test_an_unknown_key_id_is_named_so_the_keys_are_fetched_again():
    stranger = RSAKey.generate_key(2048, parameters={"kid": "k2"}, private=True)
    made = jwt.encode({"alg": "RS256", "kid": "k2"}, {"iss": ISSUER}, stranger)
    with pytest.raises(LoginRefused) as refused:
        validate_id_token(made, keys=KEYS, issuer=ISSUER, client_id=CLIENT, nonce=NONCE)
    assert refused.value.detail == "unknown_key"
