"""xAPI exports (one's own, one person's for HR, the company's for HR; each audited) and the
outbox on the operations area. Nothing here talks to the LRS: the scheduler's job does."""

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lernpfad.access import audit_denied, roles_required
from lernpfad.admin.rules import without_credentials
from lernpfad.audit.services import record_audit
from lernpfad.auth.models import Person, Role
from lernpfad.core.security import render_error
from lernpfad.db import local_today, utcnow
from lernpfad.extensions import db
from lernpfad.xapi import services

bp = Blueprint("xapi", __name__, template_folder="templates")


def _download(body, filename: str) -> Response:
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _dump(statements: list[dict]) -> str:
    return json.dumps(statements, ensure_ascii=False, indent=2) + "\n"


@bp.route("/meine-daten/lernaktivitaeten.json")
def mine():
    """My own learning events as xAPI statements (a JSON array an LRS accepts as it is)."""
    me = current_user._get_current_object()
    statements = services.statements_of(me)
    record_audit(actor=me, action="xapi.self_export", subject=me, rows=len(statements))
    db.session.commit()
    return _download(
        _dump(statements), f"lernpfad-lernaktivitaeten-{local_today().isoformat()}.json"
    )


@bp.route("/personen/<int:person_id>/lernaktivitaeten.json")
@roles_required(Role.HR)
@audit_denied
def person(person_id: int):
    """One person's statements for HR; the person sees the entry under „Meine Daten“."""
    person = db.session.get(Person, person_id)
    if person is None:
        return render_error(
            404,
            _(
                "Eine Person mit dieser Nummer gibt es nicht. Bitte wählen Sie sie aus der Personenliste."
            ),
        )
    if person.anonymised:
        return render_error(
            410,
            _("Diese Person ist anonymisiert. Ihre Lernaktivitäten werden nicht mehr exportiert."),
        )
    statements = services.statements_of(person)
    record_audit(
        actor=current_user._get_current_object(),
        action="xapi.person_export",
        subject=person,
        rows=len(statements),
    )
    db.session.commit()
    return _download(
        _dump(statements),
        f"lernpfad-lernaktivitaeten-person-{person.id}-{local_today().isoformat()}.json",
    )


def _json_array(statements) -> object:
    """The statements as one JSON array, written while they are read."""
    yield "[\n"
    first = True
    for statement in statements:
        yield ("" if first else ",\n") + json.dumps(statement, ensure_ascii=False)
        first = False
    yield "\n]\n"


@bp.route("/berichte/lernaktivitaeten.json")
@roles_required(Role.HR)
@audit_denied
def company():
    """Every person's statements (anonymised people left out), streamed: the audit entry and
    the pseudonyms it needs are committed before the first byte."""
    now = utcnow()
    services.ensure_all_actors()
    record_audit(
        actor=current_user._get_current_object(),
        action="xapi.company_export",
        scope="company",
        format="json",
    )
    db.session.commit()
    return _download(
        stream_with_context(_json_array(services.company_statements(now))),
        f"lernpfad-lernaktivitaeten-{local_today().isoformat()}.json",
    )


@bp.route("/betrieb/xapi")
@roles_required(Role.ADMIN)
def outbox():
    """The xAPI outbox: waiting, failed and sent statements, the endpoint (never the password)."""
    config = current_app.config
    return render_template(
        "xapi/outbox.html",
        state=services.outbox_state(),
        endpoint=without_credentials(config.get("XAPI_ENDPOINT") or ""),
        username=config.get("XAPI_USERNAME") or "",
    )


@bp.route("/betrieb/xapi/erneut", methods=["POST"])
@roles_required(Role.ADMIN)
def retry():
    """Failed statements are tried again at the next run of the job (not in this request)."""
    moved = services.retry_failed(current_user._get_current_object())
    db.session.commit()
    if moved:
        flash(
            ngettext(
                "%(num)d Aussage wird beim nächsten Lauf erneut gesendet.",
                "%(num)d Aussagen werden beim nächsten Lauf erneut gesendet.",
                moved,
            ),
            "success",
        )
    else:
        flash(
            _("Es gibt keine fehlgeschlagene Aussage, die auf ihren nächsten Versuch wartet."),
            "info",
        )
    return redirect(url_for("xapi.outbox"))
