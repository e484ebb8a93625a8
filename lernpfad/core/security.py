"""Security headers on every response (errors included) and error pages without internals."""

from flask import Flask, current_app, has_request_context, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter
from werkzeug.sansio.utils import host_is_trusted

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "static" or response.status_code >= 400:
        headers.setdefault("Cache-Control", "no-store")
    return response


ERROR_TEXT = {
    400: (_l("Ungültige Anfrage"), _l("Die Anfrage konnte nicht verarbeitet werden.")),
    403: (_l("Kein Zugriff"), _l("Für diese Seite fehlen Ihnen die Berechtigungen.")),
    404: (_l("Seite nicht gefunden"), _l("Diese Seite gibt es nicht (mehr).")),
    405: (_l("Nicht erlaubt"), _l("Diese Aktion ist hier nicht möglich.")),
    413: (_l("Zu groß"), _l("Die gesendeten Daten sind zu groß.")),
    429: (
        _l("Zu viele Anfragen"),
        _l("Bitte warten Sie einen Moment und versuchen Sie es erneut."),
    ),
    500: (_l("Interner Fehler"), _l("Etwas ist schiefgelaufen. Der Fehler wurde protokolliert.")),
}


def render_error(code: int, detail: str | None = None):
    if is_api_request():  # the JSON API answers every error as application/problem+json
        from lernpfad.api.problems import problem_response

        return problem_response(
            "bad_request" if code < 500 else "server_error", status=code, detail=detail
        )
    title, text = ERROR_TEXT.get(code, ERROR_TEXT[500])
    return render_template("error.html", code=code, title=title, text=detail or text), code


class BoundedIntegerConverter(IntegerConverter):
    """<int:…> in URLs stops at the largest 32-bit id, so no database sees an overflowing number."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def refuse_nul_bytes():
    """before_request: NUL cannot be stored in PostgreSQL text; no honest input contains it."""
    for values in (request.args, request.form):
        if any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
            return render_error(400, _l("Die Eingabe enthält ein unzulässiges Steuerzeichen."))
    return None


def refuse_untrusted_host():
    """before_request, first of all: only the configured host names (see core/links.py)."""
    if not host_is_trusted(request.host, current_app.config["ALLOWED_HOSTS"]):
        return render_error(400, _l("Diese Adresse gehört nicht zu dieser Lernpfad-Installation."))
    return None


def register_security(app: Flask) -> None:
    app.session_interface = SessionInterface()
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_untrusted_host)
    app.before_request(refuse_nul_bytes)
    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    app.after_request(set_security_headers)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _(
                "Das Formular ist abgelaufen oder unvollständig. Bitte laden Sie die Seite neu und senden Sie es erneut."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if is_api_request():
            from lernpfad.api.problems import http_problem

            return http_problem(error)
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        from lernpfad.extensions import db

        db.session.rollback()
        return render_error(500)


def is_api_request() -> bool:
    """Under /api/: the JSON API (lernpfad/api), with problem documents and without a session."""
    return has_request_context() and (request.path == "/api" or request.path.startswith("/api/"))


class SessionInterface(SecureCookieSessionInterface):
    """Session cookies are Secure whenever the request came over HTTPS (or when configured)."""

    def open_session(self, app, request):
        # The JSON API authenticates by token only: no session cookie is read or set there.
        if request.path.startswith("/api/"):
            return self.make_null_session(app)
        return super().open_session(app, request)

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (
            has_request_context() and request.is_secure
        )
