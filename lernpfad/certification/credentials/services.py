"""The verifiable certificate's services: the look-up limit, who may download which certificate,
what the verification page shows, and the Open Badges credential with its signature, the
published key and the revocation list. Plain arguments in; callers commit."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from lernpfad.auth.models import Person, Role
from lernpfad.certification import services as certification
from lernpfad.certification.credentials import keys, rules
from lernpfad.certification.credentials.models import VerificationLookup
from lernpfad.certification.models import Certificate
from lernpfad.core.links import external_url
from lernpfad.db import utcnow
from lernpfad.extensions import db

PRODUCT_NAME = "Lernpfad"


def record_lookup(
    client: str, *, limit: int, window: timedelta, now: datetime | None = None
) -> bool:
    """Count one look-up of a verification code by ``client``; False when the client already
    made ``limit`` look-ups within ``window`` (the caller answers 429). Known and unknown codes
    cost the same. Rows older than the window are deleted on the way."""
    now = now or utcnow()
    since = now - window
    db.session.execute(sa.delete(VerificationLookup).where(VerificationLookup.at <= since))
    recent = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(VerificationLookup)
        .where(VerificationLookup.client == client, VerificationLookup.at > since)
    )
    if not rules.lookup_allowed(recent, limit):
        return False
    db.session.add(VerificationLookup(client=client[:64], at=now))
    db.session.flush()
    return True


def downloadable_certificate(
    certificate_id: int, viewer: Person, *, hr: bool = True
) -> Certificate | None:
    """The certificate if ``viewer`` holds it or (``hr``: for the PDF) works in HR; None
    otherwise (the caller answers 404, so nobody learns which numbers exist)."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        return None
    if certificate.person_id == viewer.id or (hr and viewer.has_role(Role.HR)):
        return certificate
    return None


def company_name() -> str:
    return (current_app.config.get("COMPANY_NAME") or "").strip()


@dataclass(frozen=True)
class Verification:
    """What the public page shows: nothing beyond name, title, company, dates and status."""

    name: str
    title: str
    company: str
    issued_at: datetime
    valid_until: datetime
    status: str  # valid | expired | revoked
    revoked_at: datetime | None


def verification(certificate: Certificate, now: datetime | None = None) -> Verification:
    return Verification(
        name=certificate.person.name,
        title=certificate.title,
        company=company_name(),
        issued_at=certificate.issued_at,
        valid_until=certificate.valid_until,
        status=certification.status(certificate, now),
        revoked_at=certificate.revoked_at,
    )


def status_document(certificate: Certificate, now: datetime | None = None) -> dict:
    """The certificate's status as JSON (the credential's ``credentialStatus.id`` points here)."""
    return {
        "id": external_url("credentials.verify_status", code=certificate.code),
        "credential": rules.credential_id(certificate.code),
        "status": certification.status(certificate, now),
        "validUntil": rules.iso(certificate.valid_until),
        "revokedAt": rules.iso(certificate.revoked_at) if certificate.revoked_at else None,
        "verificationPage": external_url("credentials.verify", code=certificate.code),
    }


# --- Open Badges 3.0 ---------------------------------------------------------------------------


def key_id() -> str:
    """The JOSE ``kid``: the URL of the public key (a JWK), as OB 3.0 asks."""
    return external_url("credentials.public_key", kid=keys.thumbprint())


def jwks() -> dict:
    return {"keys": [keys.public_jwk(key_id())]}


def issuer() -> rules.Issuer:
    return rules.Issuer(id=external_url("credentials.issuer"), name=company_name() or PRODUCT_NAME)


def issuer_document() -> dict:
    """The issuer's Profile, served at its id."""
    return {"@context": [rules.OB_CONTEXT], **rules.issuer_profile(issuer())}


def requirement_sentences(keys: list[str], numbers: dict[str, int]) -> list[str]:
    """German sentences for the requirements ``keys`` (path, exam, projects, mentoring,
    approval) with their numbers; the certificate and the credential are German documents."""
    texts = {
        "path": lambda: _("Lernpfad für KI-Champions mit allen Pflichtmodulen abgeschlossen"),
        "exam": lambda: _(
            "Abschlussprüfung mit mindestens %(percent)s %% der Punkte bestanden",
            percent=numbers.get("exam_pass_percent", 80),
        ),
        "projects": lambda: _(
            "%(count)s Praxisprojekte an echten Anwendungsfällen, von einer zertifizierenden Person freigegeben",
            count=numbers.get("projects", 2),
        ),
        "mentoring": lambda: _(
            "%(sessions)s bestätigte Mentoring-Sitzungen mit mindestens %(mentees)s verschiedenen Personen",
            sessions=numbers.get("sessions", 5),
            mentees=numbers.get("mentees", 2),
        ),
        "approval": lambda: _("Abschließende Freigabe durch eine zertifizierende Person"),
    }
    with force_locale("de"):
        return [texts[key]() for key in keys if key in texts]


def met_lines(certificate: Certificate) -> list[str]:
    """What the certificate records as met, as German lines (for the PDF)."""
    data = certificate.requirements or {}
    if isinstance(data.get("lines"), list):
        return [str(line) for line in data["lines"] if str(line).strip()]
    keys, numbers = rules.met_requirements(data)
    lines = requirement_sentences(keys, numbers)
    if data.get("renewal"):
        with force_locale("de"):
            lines.append(_("Verlängert nach Auffrischung und aktuellen Mentoring-Sitzungen"))
    return lines


def criteria_lines(definition: dict) -> list[str]:
    """The certification's requirements as defined (content/certification/champion.yaml)."""
    needs = definition.get("requirements", {})
    numbers = {
        "exam_pass_percent": needs.get("exam", {}).get("pass_percent", 80),
        "projects": needs.get("projects", {}).get("count", 2),
        "sessions": needs.get("mentoring", {}).get("sessions", 5),
        "mentees": needs.get("mentoring", {}).get("mentees", 2),
    }
    return requirement_sentences([key for key in rules.REQUIREMENT_KEYS if key in needs], numbers)


def achievement() -> rules.Achievement:
    definition = certification.requirements()
    return rules.Achievement(
        id=external_url("credentials.achievement", achievement_id=definition["id"]),
        name=definition["title"],
        description=(definition.get("description") or definition["title"]).strip(),
        criteria=rules.narrative(criteria_lines(definition)),
    )


def achievement_document() -> dict:
    """The achievement (the certification as defined now), served at its id."""
    return {
        "@context": [rules.VC_CONTEXT, rules.OB_CONTEXT],
        **rules.achievement_document(achievement()),
    }


def credential(certificate: Certificate) -> dict:
    """The OpenBadgeCredential of a certificate (unsigned JSON-LD)."""
    person = certificate.person
    return rules.open_badge_credential(
        credential_id=rules.credential_id(certificate.code),
        name=certificate.title,
        issuer=issuer(),
        achievement=achievement(),
        holder=rules.Holder(
            id=rules.holder_id(person.id, current_app.config["SECRET_KEY"]),
            name=person.name,
            email=person.email,
            salt=rules.identity_salt(certificate.code),
        ),
        awarded=certificate.issued_at,
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        status=rules.StatusEntry(
            id=external_url("credentials.verify_status", code=certificate.code),
            list_url=external_url("credentials.status_list"),
            index=certificate.id,
        ),
    )


def signed_credential(certificate: Certificate) -> str:
    """The credential as VC-JWT (a compact JWS signed with the platform's key)."""
    return keys.sign(rules.jwt_claims(credential(certificate)), key_id())


def signed_status_list(now: datetime | None = None) -> str:
    """The revocation list (every revoked certificate's bit set), signed like the credentials."""
    revoked = set(
        db.session.scalars(sa.select(Certificate.id).where(Certificate.revoked_at.is_not(None)))
    )
    document = rules.status_list_credential(
        list_url=external_url("credentials.status_list"),
        issuer=issuer(),
        revoked=revoked,
        valid_from=now or utcnow(),
    )
    claims = dict(document)
    claims.update(
        iss=document["issuer"],
        jti=document["id"],
        nbf=rules.numeric_date(datetime.fromisoformat(document["validFrom"])),
    )
    return keys.sign(claims, key_id())


def download_name(certificate: Certificate, extension: str) -> str:
    return f"ki-champion-zertifikat-{certificate.issued_at:%Y-%m-%d}-{certificate.id}.{extension}"
