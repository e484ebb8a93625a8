"""One person's training record for HR; every opening is audited, and so is every refused
attempt. Also the privacy mode's line on the report pages (a context value for every page)."""

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user

from lernpfad.access import audit_denied, roles_required
from lernpfad.assessments.services import competency_model
from lernpfad.auth.models import Person, Role
from lernpfad.core.security import render_error
from lernpfad.db import local_today, utcnow
from lernpfad.extensions import db
from lernpfad.privacy.mode import individual_levels_allowed, mode_state
from lernpfad.records import services

bp = Blueprint("records", __name__, url_prefix="/personen", template_folder="templates")


@bp.app_context_processor
def inject_privacy_mode():
    # The function, not its value: only the pages that show the mode ask the database.
    return {"privacy_mode_state": mode_state}


@bp.route("/<int:person_id>/schulungsnachweis")
@roles_required(Role.HR)
@audit_denied
def training_record(person_id: int):
    """Completions, certificates, assignments and path of one person; levels only in the
    individual-levels mode. The opening goes to the audit log, which the person can read."""
    person = db.session.get(Person, person_id)
    if person is None:
        return render_error(
            404,
            _(
                "Eine Person mit dieser Nummer gibt es nicht. Bitte wählen Sie sie aus der Personenliste."
            ),
        )
    if person.anonymised:
        # Nothing personal is left to show, so nothing is opened and nothing is logged.
        return render_template("records/anonymised.html", person=person), 410
    individual = individual_levels_allowed()
    record = services.open_training_record(
        person,
        actor=current_user._get_current_object(),
        with_levels=individual,
        now=utcnow(),
        today=local_today(),
    )
    db.session.commit()
    model = competency_model() or {}
    return render_template(
        "records/training_record.html",
        record=record,
        individual=individual,
        dimensions=[(d["key"], d["label"]) for d in model.get("dimensions", [])],
        level_names={int(k): v for k, v in (model.get("level_names") or {}).items()},
        role_labels={r["key"]: r["label"] for r in model.get("roles", [])},
        today=local_today(),
    )
