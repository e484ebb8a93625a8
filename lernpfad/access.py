"""Who may open a route, said in one place.

Every route requires a logged-in person unless its view is marked ``@public``;
``@roles_required(...)`` narrows it to people holding one of the roles. The check
runs before every request (``check_access``), so a view without a mark is closed.
Object scope (this person's record, this department) is checked in the services.
"""

import time

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from lernpfad.extensions import login_manager


def public(view):
    view.lernpfad_public = True
    return view


def roles_required(*roles):
    def mark(view):
        view.lernpfad_roles = frozenset(roles)
        return view

    return mark


def token_only(view):
    """Mark a view of the JSON API (lernpfad/api): no session and no login page; the API's own
    before_request authenticates the bearer token and checks the view's scope."""
    view.lernpfad_token_only = True
    return view


def audit_denied(view):
    """Mark a view whose refused attempts are written to the audit log (``access.denied``):
    pages with one person's data or the log itself, where a works council wants to know who
    tried."""
    view.lernpfad_audit_denied = True
    return view


def is_public(endpoint: str | None) -> bool:
    if endpoint is None or endpoint == "static":
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, "lernpfad_public", False))


# The idle clock moves on in steps of this many seconds: a session expires up to this much
# later than SESSION_IDLE_MINUTES, and pages in between need no new cookie.
SEEN_RESOLUTION_SECONDS = 30


def start_session_clock() -> None:
    now = time.time()
    session["login_at"] = now
    session["seen_at"] = now


def _session_expired(now: float) -> bool:
    config = current_app.config
    login_at = session.get("login_at")
    seen_at = session.get("seen_at")
    if login_at is None or seen_at is None:
        return True
    return (
        now - login_at > config["SESSION_ABSOLUTE_HOURS"] * 3600
        or now - seen_at > config["SESSION_IDLE_MINUTES"] * 60
    )


def check_access():
    """before_request: login, session timeouts and roles for the requested endpoint."""
    if request.endpoint is None:
        return None  # 404 follows
    if is_public(request.endpoint):
        return None
    if getattr(current_app.view_functions.get(request.endpoint), "lernpfad_token_only", False):
        return None  # lernpfad.api.routes.authenticate: a 401/403 problem, never a redirect
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    now = time.time()
    if _session_expired(now):
        logout_user()
        session.clear()
        flash(_("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."), "info")
        return redirect(url_for("auth.login", next=request.full_path))
    if now - session["seen_at"] >= SEEN_RESOLUTION_SECONDS:
        session["seen_at"] = now  # else the cookie stays as it is: not signed anew each request
    view = current_app.view_functions[request.endpoint]
    roles = getattr(view, "lernpfad_roles", None)
    if roles and not current_user.has_role(*roles):
        if getattr(view, "lernpfad_audit_denied", False):
            _record_denied()
        abort(403)
    return None


def _record_denied() -> None:
    """The refused attempt in the audit log: who, which page, and whose record if the URL
    names an existing person."""
    from lernpfad.audit.services import record_audit
    from lernpfad.auth.models import Person
    from lernpfad.extensions import db

    person_id = (request.view_args or {}).get("person_id")
    subject = db.session.get(Person, person_id) if isinstance(person_id, int) else None
    record_audit(
        actor=current_user._get_current_object(),
        action="access.denied",
        subject=subject,
        endpoint=request.endpoint,
    )
    db.session.commit()
