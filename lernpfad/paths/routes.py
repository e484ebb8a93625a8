"""The person's own path, and HR's override of role and champion nomination."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lernpfad.access import roles_required
from lernpfad.assessments import services as assessments
from lernpfad.assessments.views import role_label
from lernpfad.auth.models import Person, Role
from lernpfad.extensions import db
from lernpfad.mentoring import services as mentoring
from lernpfad.paths import services
from lernpfad.paths.forms import OverrideForm

bp = Blueprint("paths", __name__, url_prefix="/lernpfad", template_folder="templates")


@bp.route("/")
def mine():
    me = current_user._get_current_object()
    mine = services.overview(me)
    model = mine.competencies
    return render_template(
        "paths/mine.html",
        view=mine,
        role_label=role_label(model, mine.role) if model else mine.role,
        contacts=mentoring.champion_contacts(me),
        mentee_sessions=mentoring.count_as_mentee(me),
    )


@bp.route("/champion-pfad", methods=["POST"])
def champion_choice():
    """The person takes up or turns down the champion path their assessment offered."""
    decision = request.form.get("decision")
    if decision not in ("ja", "nein"):
        flash(_("Bitte wählen Sie „Ja“ oder „Nein“."), "error")
        return redirect(url_for("paths.mine"))
    try:
        services.choose_champion_path(current_user._get_current_object(), decision == "ja")
    except services.ChoiceRefused:
        flash(
            _(
                "Der Lernpfad für KI-Champions steht Ihnen nach Ihrer Selbsteinschätzung nicht offen. HR kann Sie dafür nominieren."
            ),
            "error",
        )
        return redirect(url_for("paths.mine"))
    db.session.commit()
    flash(
        _("Ihr Lernpfad ist jetzt der Pfad für KI-Champions.")
        if decision == "ja"
        else _("Sie bleiben bei Ihrem bisherigen Lernpfad."),
        "success",
    )
    return redirect(url_for("paths.mine"))


@bp.route("/person/<int:person_id>/rolle", methods=["GET", "POST"])
@roles_required(Role.HR)
def override(person_id: int):
    person = db.get_or_404(Person, person_id)
    if person.anonymised:
        abort(404)  # a nameless record has no path to set
    assignment = services.assignment_for(person)
    known = services.hr_view(assignment)
    form = OverrideForm()
    if not form.is_submitted():  # prefilled only with what HR itself set
        form.role.data = known["role"]
        form.nominated.data = known["champion"] == "nominated"
    if form.validate_on_submit():
        services.override_role(
            person,
            role=form.role.data,
            nominated=form.nominated.data,
            reason=form.reason.data.strip(),
            actor=current_user._get_current_object(),
        )
        db.session.commit()
        flash(
            _(
                "Der Lernpfad von %(name)s wurde geändert; die Begründung ist protokolliert.",
                name=person.name,
            ),
            "success",
        )
        return redirect(url_for("people.index"))
    model = assessments.competency_model()
    return render_template(
        "paths/override.html",
        person=person,
        form=form,
        assigned=assignment is not None,
        known=known,
        role_label=role_label(model, known["role"]) if model and known["role"] else known["role"],
    ), 400 if form.errors else 200
