from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
)
from flask_login import current_user
from sqlalchemy import text

from lernpfad.access import public
from lernpfad.auth.routes import _safe_next
from lernpfad.db import local_today
from lernpfad.extensions import db

bp = Blueprint("core", __name__)


@bp.route("/")
def dashboard():
    from lernpfad.auth.models import Role
    from lernpfad.mentoring.services import pending_count, waiting_confirmations
    from lernpfad.paths.services import overview

    me = current_user._get_current_object()
    return render_template(
        "core/dashboard.html",
        view=overview(me),
        today=local_today(),
        waiting_reviews=pending_count(me) if me.has_role(Role.CHAMPION) else None,
        confirmations=waiting_confirmations(me),
    )


@bp.route("/healthz")
@public
def health():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        current_app.logger.exception("health check: database unreachable")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/sprache", methods=["POST"])
@public
def set_language():
    """Switch the interface language (German or English)."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    # The login's check: a local path without a backslash or control character (browsers
    # drop a tab, so "/\t/evil.example" would leave; a line break was a 500).
    return redirect(_safe_next(request.form.get("next", "")))
