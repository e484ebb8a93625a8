"""Sign-in with the company account: start at the provider, come back, sign in."""

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user

from lernpfad.access import public, start_session_clock
from lernpfad.auth import devices
from lernpfad.auth.routes import _safe_next
from lernpfad.extensions import db
from lernpfad.sso import provider, services

bp = Blueprint("sso", __name__, template_folder="templates")

PENDING = "sso_pending"  # session: the login this browser started (used once)
SIGNED_IN_WITH_SSO = "sso"  # session: logout also ends the provider's session

# reason → (status, message)
REFUSALS = {
    "state": (
        400,
        _l(
            "Diese Anmeldung ist ungültig oder wurde bereits verwendet. Bitte starten Sie die Anmeldung mit dem Firmenkonto erneut."
        ),
    ),
    "expired": (
        400,
        _l("Die Anmeldung hat zu lange gedauert. Bitte starten Sie sie erneut."),
    ),
    "provider_error": (
        403,
        _l(
            "Die Anmeldung wurde beim Anbieter Ihres Firmenkontos abgebrochen oder abgelehnt. Es wurde nichts geändert."
        ),
    ),
    "missing_code": (
        400,
        _l(
            "Die Antwort des Anbieters Ihres Firmenkontos ist unvollständig. Bitte starten Sie die Anmeldung erneut."
        ),
    ),
    "token_exchange": (
        400,
        _l(
            "Der Anbieter Ihres Firmenkontos hat die Anmeldung nicht bestätigt. Bitte starten Sie die Anmeldung erneut."
        ),
    ),
    "token": (
        400,
        _l(
            "Die Anmeldebestätigung Ihres Firmenkontos ist ungültig und wurde abgelehnt. Bitte starten Sie die Anmeldung erneut; geschieht das wieder, wenden Sie sich an Ihre IT."
        ),
    ),
    "concurrent": (
        409,
        _l(
            "Mit diesem Firmenkonto wurde gerade gleichzeitig eine zweite Anmeldung begonnen. Bitte starten Sie die Anmeldung erneut."
        ),
    ),
    "unverified_email": (
        403,
        _l(
            "Ihr Firmenkonto übermittelt keine bestätigte E-Mail-Adresse. Bitte wenden Sie sich an Ihre IT."
        ),
    ),
    "unknown": (
        403,
        _l(
            "Zu Ihrem Firmenkonto gibt es in Lernpfad kein Konto. Bitte wenden Sie sich an die Personalabteilung."
        ),
    ),
    "inactive": (
        403,
        _l(
            "Ihr Zugang zu Lernpfad ist deaktiviert. Bitte wenden Sie sich an die Personalabteilung."
        ),
    ),
    "anonymised": (
        403,
        _l("Ihr Zugang zu Lernpfad besteht nicht mehr."),
    ),
    "other_identity": (
        403,
        _l(
            "Das Lernpfad-Konto mit dieser E-Mail-Adresse ist bereits mit einem anderen Firmenkonto verbunden. Bitte wenden Sie sich an die Personalabteilung."
        ),
    ),
}


def _page(status: int, message) -> tuple[str, int]:
    return render_template("sso/refused.html", message=message), status


def _unavailable(error: Exception):
    current_app.logger.warning("SSO provider unavailable: %s", error)
    db.session.rollback()
    return _page(
        503,
        _l(
            "Der Anmeldedienst Ihres Unternehmens ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten erneut."
        ),
    )


# GET: a link on the login page. Starting a login changes nothing but this browser's session.
@bp.route("/anmelden/firmenkonto")
@public
def start():
    config = current_app.config
    if not services.sso_configured(config):
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    try:
        url, pending = services.begin_login(config, request.args.get("next"))
    except provider.ProviderUnavailable as error:
        return _unavailable(error)
    session[PENDING] = pending
    return redirect(url)


@bp.route("/anmelden/firmenkonto/rueckkehr")
@public
def callback():
    config = current_app.config
    if not services.sso_configured(config):
        abort(404)
    pending = session.pop(PENDING, None)  # one use only: a replayed answer finds nothing
    try:
        claims = services.finish_login(config, request.args, pending)
        person = services.sign_in(config, claims)
    except provider.ProviderUnavailable as error:
        return _unavailable(error)
    except services.LoginRefused as refused:
        current_app.logger.info("SSO login refused: %s %s", refused.reason, refused.detail)
        db.session.rollback()  # nothing of the attempt is kept …
        services.record_refusal(refused)
        db.session.commit()  # … but its audit entry
        status, message = REFUSALS[refused.reason]
        return _page(status, message)
    db.session.commit()
    session.clear()  # a fresh session on every login
    login_user(person)
    start_session_clock()
    session[SIGNED_IN_WITH_SSO] = True
    response = redirect(_safe_next(pending.get("next")))
    devices.remember_device(response, person.email)
    return response


@bp.after_app_request
def allow_logout_at_provider(response):
    """Logging out (a form on every page) ends at the provider's end_session_endpoint after an
    SSO login; the CSP's form-action, which browsers apply to a form's redirects too, must allow
    that one origin besides the app's own."""
    config = current_app.config
    policy = response.headers.get("Content-Security-Policy")
    if policy and services.sso_configured(config):
        origins = " ".join(provider.provider_origins(config))
        response.headers["Content-Security-Policy"] = policy.replace(
            "form-action 'self'", f"form-action 'self' {origins}", 1
        )
    return response


@bp.app_context_processor
def sso_settings() -> dict:
    """For the login and "forgot password" pages: the company-account button, and whether the
    password is for administrators only."""
    config = current_app.config
    enabled = services.sso_configured(config)
    return {
        "sso_enabled": enabled,
        "password_login_admins_only": enabled and config["PASSWORD_LOGIN"] != "all",
    }
