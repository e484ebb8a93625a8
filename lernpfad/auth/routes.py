"""Login, logout, password change, reset and the one-time links."""

import math
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from lernpfad.access import public, start_session_clock
from lernpfad.auth import devices, services
from lernpfad.auth.forms import ChangePasswordForm, LoginForm, ResetRequestForm, SetPasswordForm
from lernpfad.auth.models import TokenPurpose
from lernpfad.auth.passwords import verify_password
from lernpfad.auth.rules import ThrottlePolicy
from lernpfad.extensions import db
from lernpfad.forms import has_control_characters
from lernpfad.sso import provider as sso_provider
from lernpfad.sso import services as sso

bp = Blueprint("auth", __name__, template_folder="templates")


def throttle_policy(config) -> ThrottlePolicy:
    return ThrottlePolicy(
        window=timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"]),
        free=config["LOGIN_FREE_FAILURES"],
        base_delay=timedelta(seconds=config["LOGIN_DELAY_BASE_SECONDS"]),
        max_delay=timedelta(seconds=config["LOGIN_DELAY_MAX_SECONDS"]),
        ceiling=config["LOGIN_ACCOUNT_CEILING"],
    )


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login; none with a control character
    (a line break in the Location header is a 500) or a direction override."""
    if target and target.startswith("/") and not target.startswith("//"):
        if has_control_characters(target):
            return url_for("core.dashboard")
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("core.dashboard")


@bp.route("/anmelden", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        device = devices.device_id(services.normalise_email(form.email.data))
        result = services.authenticate(
            form.email.data,
            form.password.data,
            client=f"d:{device}" if device else f"ip:{request.remote_addr or ''}",
            trusted=device is not None,
            policy=throttle_policy(current_app.config),
        )
        if result.person is not None and not sso.password_login_allowed(
            result.person, current_app.config
        ):
            db.session.rollback()  # the right password, but this account signs in with SSO
            flash(
                _(
                    "Die Anmeldung mit Passwort ist nur für Administratoren möglich. Bitte melden Sie sich über „Mit Firmenkonto anmelden“ an."
                ),
                "error",
            )
            return render_template("auth/login.html", form=form), 403
        db.session.commit()
        if result.person is not None:
            session.clear()  # a fresh session on every login
            login_user(result.person)
            start_session_clock()
            response = redirect(_safe_next(request.args.get("next")))
            devices.remember_device(response, result.person.email)
            return response
        status = 429 if result.wait else 401
        if result.wait:
            seconds = math.ceil(result.wait.total_seconds())
            flash(
                ngettext(
                    "Zu viele fehlgeschlagene Anmeldeversuche von hier. Bitte warten Sie %(num)d Sekunde und versuchen Sie es dann erneut.",
                    "Zu viele fehlgeschlagene Anmeldeversuche von hier. Bitte warten Sie %(num)d Sekunden und versuchen Sie es dann erneut.",
                    seconds,
                )
                if seconds < 120
                else ngettext(
                    "Zu viele fehlgeschlagene Anmeldeversuche von hier. Bitte warten Sie %(num)d Minute und versuchen Sie es dann erneut.",
                    "Zu viele fehlgeschlagene Anmeldeversuche von hier. Bitte warten Sie %(num)d Minuten und versuchen Sie es dann erneut.",
                    math.ceil(seconds / 60),
                ),
                "error",
            )
        else:
            flash(_("E-Mail-Adresse oder Passwort ist nicht korrekt."), "error")
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/abmelden", methods=["POST"])
def logout():
    current_user.end_all_sessions()
    db.session.commit()
    # Signed in with the company account: its provider's session ends too, if it can.
    provider_logout = sso_provider.logout_url(current_app.config) if session.get("sso") else None
    logout_user()
    session.clear()
    flash(_("Sie sind abgemeldet."), "info")
    return redirect(provider_logout or url_for("auth.login"))


@bp.route("/passwort", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    form.person_email, form.person_name = current_user.email, current_user.name
    form.current_password_hash = current_user.password_hash
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("Das aktuelle Passwort ist nicht korrekt."))
        else:
            person = current_user._get_current_object()
            services.set_password(person, form.new_password.data)
            db.session.commit()
            # Every other session is gone; this one carries on with the new token.
            login_user(person)
            start_session_clock()
            flash(
                _("Ihr Passwort wurde geändert. Alle anderen Sitzungen wurden beendet."), "success"
            )
            return redirect(url_for("core.dashboard"))
    return render_template("auth/change_password.html", form=form), 400 if form.errors else 200


@bp.route("/passwort-vergessen", methods=["GET", "POST"])
@public
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        config = current_app.config
        accepted = services.request_password_reset(
            form.email.data,
            request.remote_addr or "",
            per_address=config["RESET_LIMIT_PER_ADDRESS"],
            per_client=config["RESET_LIMIT_PER_CLIENT"],
            window=timedelta(minutes=config["RESET_LIMIT_WINDOW_MINUTES"]),
        )
        db.session.commit()
        if not accepted:
            flash(
                _(
                    "Aus Ihrem Netzwerk kamen zu viele Anfragen. Bitte versuchen Sie es in einer Stunde erneut."
                ),
                "error",
            )
            return render_template("auth/request_reset.html", form=form), 429
        # The same answer whether or not the address is known; the mail job sends the link.
        flash(
            _(
                "Wenn die Adresse bei uns bekannt ist, erhalten Sie in Kürze eine E-Mail mit einem Link."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/request_reset.html", form=form), 400 if form.errors else 200


@bp.route("/passwort-setzen/<token>", methods=["GET", "POST"])
@public
def set_password(token: str):
    account_token = services.valid_token(token)
    if account_token is None:
        return render_template("auth/token_invalid.html"), 404
    if account_token.purpose == TokenPurpose.RESET and not sso.password_login_allowed(
        account_token.person, current_app.config
    ):
        flash(
            _(
                "Ihr Konto meldet sich mit dem Firmenkonto an; ein Passwort lässt sich dafür nicht zurücksetzen. Bitte verwenden Sie „Mit Firmenkonto anmelden“."
            ),
            "error",
        )
        return redirect(url_for("auth.login"))
    form = SetPasswordForm()
    form.person_email, form.person_name = account_token.person.email, account_token.person.name
    form.current_password_hash = account_token.person.password_hash
    if form.validate_on_submit():
        services.redeem_token(account_token, form.new_password.data)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Ihr Passwort ist gesetzt. Sie können sich jetzt anmelden."), "success")
        return redirect(url_for("auth.login"))
    is_invitation = account_token.purpose == TokenPurpose.INVITATION
    return render_template(
        "auth/set_password.html",
        form=form,
        person=account_token.person,
        is_invitation=is_invitation,
    ), 400 if form.errors else 200
