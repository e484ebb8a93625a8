"""Public: the verification page and its JSON, the issuer profile, the achievement, the published
key (JWKS) and the revocation list. Signed in: the holder's (or HR's) PDF and credential files."""

import json
from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from lernpfad.access import public
from lernpfad.audit.services import record_audit
from lernpfad.auth.models import Role
from lernpfad.certification import services as certification
from lernpfad.certification.credentials import keys, pdf, rules, services
from lernpfad.core.links import external_url
from lernpfad.extensions import db

bp = Blueprint("credentials", __name__, template_folder="templates")

NOINDEX = {"X-Robots-Tag": "noindex"}
PUBLIC_JSON = {"Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache"}


@bp.app_template_global()
def verification_url(certificate) -> str:
    """The public verification address of a certificate (from BASE_URL: it is shared)."""
    return external_url("credentials.verify", code=certificate.code)


@bp.app_template_global()
def certificate_downloads(certificate) -> dict:
    """What credentials/downloads.html links for the signed-in person: the PDF for the holder
    and HR; the credential files (unless revoked) and the verification address for the holder;
    nothing for anyone else (a certifying champion on the candidates list, say)."""
    signed_in = current_user.is_authenticated
    own = signed_in and certificate.person_id == current_user.id
    credential = own and certificate.revoked_at is None
    return {
        "pdf": url_for("credentials.certificate_pdf", certificate_id=certificate.id)
        if own or (signed_in and current_user.has_role(Role.HR))
        else None,
        "jwt": url_for("credentials.credential_jwt", certificate_id=certificate.id)
        if credential
        else None,
        "json": url_for("credentials.credential_json", certificate_id=certificate.id)
        if credential
        else None,
        "verify": verification_url(certificate) if own else None,
    }


def _json(data: dict, *, mimetype: str = "application/json", headers=None) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype=mimetype,
        headers={**PUBLIC_JSON, **(headers or {})},
    )


def _both_languages(template: str, **context) -> dict[str, str]:
    """The page body in German and in English, whatever the visitor's language."""
    bodies = {}
    for locale in ("de", "en"):
        with force_locale(locale):
            bodies[locale] = Markup(render_template(template, first=locale == "de", **context))
    return bodies


def _lookup_allowed() -> bool:
    config = current_app.config
    allowed = services.record_lookup(
        rules.client_key(request.remote_addr),
        limit=config["VERIFY_LIMIT_PER_CLIENT"],
        window=timedelta(minutes=config["VERIFY_LIMIT_WINDOW_MINUTES"]),
    )
    db.session.commit()
    return allowed


@bp.route("/verify/<code>")
@public
def verify(code: str):
    if not _lookup_allowed():
        page = render_template(
            "credentials/verify.html", bodies=_both_languages("credentials/_limited.html")
        )
        return page, 429, NOINDEX
    certificate = certification.by_code(code)
    if certificate is None:
        page = render_template(
            "credentials/verify.html", bodies=_both_languages("credentials/_unknown.html")
        )
        return page, 404, NOINDEX
    facts = services.verification(certificate)
    page = render_template(
        "credentials/verify.html",
        bodies=_both_languages("credentials/_verification.html", facts=facts),
    )
    return page, 200, NOINDEX


@bp.route("/verify/<code>.json")
@public
def verify_status(code: str):
    if not _lookup_allowed():
        return _json({"error": "too many requests"}, headers=NOINDEX), 429
    certificate = certification.by_code(code)
    if certificate is None:
        return _json({"error": "unknown code"}, headers=NOINDEX), 404
    return _json(services.status_document(certificate), headers=NOINDEX)


@bp.route("/.well-known/jwks.json")
@public
def jwks():
    return _json(services.jwks(), mimetype="application/jwk-set+json")


@bp.route("/credentials/keys/<kid>")
@public
def public_key(kid: str):
    if kid != keys.thumbprint():
        abort(404)
    return _json(keys.public_jwk(services.key_id()), mimetype="application/jwk+json")


@bp.route("/credentials/issuer")
@public
def issuer():
    return _json(services.issuer_document(), mimetype="application/ld+json")


@bp.route("/credentials/achievements/<achievement_id>")
@public
def achievement(achievement_id: str):
    if achievement_id != certification.requirements()["id"]:
        abort(404)
    return _json(services.achievement_document(), mimetype="application/ld+json")


@bp.route("/credentials/status/revocation")
@public
def status_list():
    return Response(services.signed_status_list(), mimetype="application/jwt", headers=PUBLIC_JSON)


def _downloadable(certificate_id: int, *, hr: bool = True):
    """The certificate for its holder or (``hr``) HR, 404 for everyone else; HR's downloads of
    someone else's certificate go to the audit log (a view of one person's record)."""
    viewer = current_user._get_current_object()
    certificate = services.downloadable_certificate(certificate_id, viewer, hr=hr)
    if certificate is None:
        abort(404)
    if certificate.person_id != viewer.id:
        record_audit(
            actor=viewer,
            action="certification.certificate_pdf",
            subject=certificate.person,
            certificate_id=certificate.id,
        )
        db.session.commit()
    return certificate


def _attachment(body, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/zertifizierung/zertifikat/<int:certificate_id>.pdf")
def certificate_pdf(certificate_id: int):
    certificate = _downloadable(certificate_id)
    return _attachment(
        pdf.certificate_pdf(certificate),
        "application/pdf",
        services.download_name(certificate, "pdf"),
    )


def _credential_certificate(certificate_id: int):
    certificate = _downloadable(certificate_id, hr=False)
    if certificate.revoked_at is not None:
        # A revoked certificate gets no fresh credential (the PDF and the page say it is revoked).
        page = render_template(
            "error.html",
            code=410,
            title=_("Dieses Zertifikat ist widerrufen"),
            text=_(
                "Für ein widerrufenes Zertifikat gibt es keinen digitalen Nachweis mehr. Das PDF und die Prüfseite nennen den Widerruf."
            ),
        )
        abort(Response(page, 410))
    return certificate


@bp.route("/zertifizierung/zertifikat/<int:certificate_id>.json")
def credential_json(certificate_id: int):
    certificate = _credential_certificate(certificate_id)
    return _attachment(
        json.dumps(services.credential(certificate), ensure_ascii=False, indent=2),
        "application/ld+json",
        services.download_name(certificate, "json"),
    )


@bp.route("/zertifizierung/zertifikat/<int:certificate_id>.jwt")
def credential_jwt(certificate_id: int):
    certificate = _credential_certificate(certificate_id)
    return _attachment(
        services.signed_credential(certificate),
        "application/jwt",
        services.download_name(certificate, "jwt"),
    )
