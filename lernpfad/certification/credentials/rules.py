"""Pure rules of the verifiable certificate: who counts as one client for the look-up limit,
what a certificate records as met, and the Open Badges 3.0 credential with its JWT claims and the
revocation list (W3C Bitstring Status List), built from plain values."""

import base64
import gzip
import hashlib
import ipaddress
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
OB_SCHEMA_TYPE = "1EdTechJsonSchemaValidator2019"
# The Bitstring Status List's minimum length (16 KiB): with fewer entries a list would tell
# how many credentials the issuer made (W3C Bitstring Status List v1.0, 6.1).
STATUS_LIST_MIN_BITS = 131072
CREDENTIAL_NAMESPACE = uuid.UUID("0e6c2f4e-3b7a-5c2a-9a59-6c1f0d7e5b11")


def client_key(remote_addr: str | None) -> str:
    """The client a look-up is counted for: its IPv4 address, or its IPv6 /64 network (one
    connection usually owns a whole /64, so counting single IPv6 addresses would not limit)."""
    try:
        address = ipaddress.ip_address((remote_addr or "").strip())
    except ValueError:
        return "ip:unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return "ip:" + str(address.ipv4_mapped)
        return "ip:" + str(ipaddress.IPv6Network((address, 64), strict=False))
    return "ip:" + str(address)


def lookup_allowed(recent_lookups: int, limit: int) -> bool:
    """A client may look up one more code while it made fewer than ``limit`` in the window."""
    return recent_lookups < limit


REQUIREMENT_KEYS = ("path", "exam", "projects", "mentoring", "approval")
NUMBER_KEYS = ("exam_pass_percent", "projects", "sessions", "mentees")


def met_requirements(requirements: dict | None) -> tuple[list[str], dict[str, int]]:
    """What ``Certificate.requirements`` records as met, in the definition's order, and the
    numbers it names (``{"checks": ["path", …], "exam_pass_percent": 80, "projects": 2,
    "sessions": 5, "mentees": 2}``, as certification.services issues it)."""
    if not isinstance(requirements, dict):
        return [], {}
    checks = requirements.get("checks")
    met = [key for key in REQUIREMENT_KEYS if isinstance(checks, list) and key in checks]
    numbers = {
        key: requirements[key]
        for key in NUMBER_KEYS
        if isinstance(requirements.get(key), int) and not isinstance(requirements[key], bool)
    }
    return met, numbers


def narrative(lines: list[str]) -> str:
    """Lines as a Markdown list (OB 3.0 ``narrative`` is Markdown)."""
    return "\n".join(f"- {line}" for line in lines)


def credential_id(code: str) -> str:
    """A stable ``urn:uuid`` for the credential of a certificate: the same on every download,
    and it does not change with the server's address."""
    return f"urn:uuid:{uuid.uuid5(CREDENTIAL_NAMESPACE, 'certificate:' + code)}"


def holder_id(person_id: int, secret: str) -> str:
    """A pseudonymous, stable ``urn:uuid`` for the holder (the JWT's ``sub``), the same for all
    their certificates and meaningless outside this installation."""
    digest = hashlib.sha256(f"{secret}:holder:{person_id}".encode()).digest()
    return f"urn:uuid:{uuid.UUID(bytes=digest[:16], version=4)}"


def identity_salt(code: str) -> str:
    """A salt per credential for the hashed e-mail address (derived, so downloads are equal)."""
    return hashlib.sha256(f"salt:{code}".encode()).hexdigest()[:32]


def identity_hash(identity: str, salt: str) -> str:
    """OB 3.0 IdentityHash: ``sha256$`` and the hex digest of the identity followed by the salt."""
    return "sha256$" + hashlib.sha256((identity + salt).encode("utf-8")).hexdigest()


def iso(moment: datetime) -> str:
    """A UTC timestamp with a trailing Z, to the second."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def numeric_date(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


@dataclass(frozen=True)
class Issuer:
    id: str
    name: str


@dataclass(frozen=True)
class Achievement:
    id: str
    name: str
    description: str
    criteria: str  # Markdown


@dataclass(frozen=True)
class StatusEntry:
    id: str  # the certificate's own status (the JSON verification endpoint)
    list_url: str  # the revocation list credential
    index: int


@dataclass(frozen=True)
class Holder:
    id: str
    name: str
    email: str
    salt: str


def issuer_profile(issuer: Issuer) -> dict:
    return {"id": issuer.id, "type": ["Profile"], "name": issuer.name}


def achievement_document(achievement: Achievement) -> dict:
    return {
        "id": achievement.id,
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": achievement.name,
        "description": achievement.description,
        "criteria": {"narrative": achievement.criteria},
    }


def open_badge_credential(
    *,
    credential_id: str,
    name: str,
    issuer: Issuer,
    achievement: Achievement,
    holder: Holder,
    awarded: datetime,
    valid_from: datetime,
    valid_until: datetime,
    status: StatusEntry,
) -> dict:
    """The OpenBadgeCredential (VC Data Model 2.0 and the OB 3.0.3 context). The holder is named
    (as the verification page shows) and identified by a pseudonymous id and a salted hash of
    the e-mail address — never the plain address."""
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "issuer": issuer_profile(issuer),
        "validFrom": iso(valid_from),
        "validUntil": iso(valid_until),
        "awardedDate": iso(awarded),
        "credentialSubject": {
            "id": holder.id,
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": holder.name,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": identity_hash(holder.email, holder.salt),
                    "salt": holder.salt,
                },
            ],
            "achievement": achievement_document(achievement),
        },
        "credentialStatus": {
            "id": status.id,
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status.index),
            "statusListCredential": status.list_url,
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": OB_SCHEMA_TYPE}],
    }


def jwt_claims(credential: dict) -> dict:
    """The JWT payload of OB 3.0's JSON Web Token proof format: the credential itself with
    ``iss`` (issuer.id), ``jti`` (id), ``sub`` (credentialSubject.id), ``nbf`` (validFrom) and
    ``exp`` (validUntil)."""
    claims = dict(credential)
    claims.update(
        iss=credential["issuer"]["id"],
        jti=credential["id"],
        sub=credential["credentialSubject"]["id"],
        nbf=numeric_date(datetime.fromisoformat(credential["validFrom"])),
    )
    if "validUntil" in credential:
        claims["exp"] = numeric_date(datetime.fromisoformat(credential["validUntil"]))
    return claims


def encoded_status_list(revoked: set[int], *, min_bits: int = STATUS_LIST_MIN_BITS) -> str:
    """The GZIP-compressed bitstring, base64url without padding and with the multibase ``u``:
    bit i (counted from the first byte's most significant bit) set when entry i is revoked."""
    bits = max(min_bits, max(revoked, default=0) + 1)
    data = bytearray((bits + 7) // 8)
    for index in revoked:
        data[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(data), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def status_list_credential(
    *, list_url: str, issuer: Issuer, revoked: set[int], valid_from: datetime
) -> dict:
    """The revocation list as a BitstringStatusListCredential (W3C VC 2.0 context only, where
    those terms live; the issuer as a plain URL, since Profile is an Open Badges term)."""
    return {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.id,
        "validFrom": iso(valid_from),
        "credentialSubject": {
            "id": list_url + "#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_status_list(revoked),
        },
    }


def decode_status_list(encoded: str) -> bytes:
    """The bitstring back from ``encodedList`` (for tests and for anyone checking by hand)."""
    assert encoded.startswith("u")
    raw = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
