"""The self-assessment: start, four steps, result, history."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from lernpfad.assessments import services, views
from lernpfad.assessments.steps import LAST_STEP, STEPS, parse_step
from lernpfad.extensions import db
from lernpfad.paths import services as paths

bp = Blueprint(
    "assessments", __name__, url_prefix="/selbsteinschaetzung", template_folder="templates"
)


def _me():
    return current_user._get_current_object()


@bp.route("/")
def start():
    me = _me()
    interval = current_app.config["REASSESSMENT_INTERVAL_DAYS"]
    return render_template(
        "assessments/start.html",
        definition=services.current_definition(),
        attempt=services.open_attempt(me),
        latest=services.latest_result(me),
        next_allowed=services.next_allowed(me, interval),
        steps=STEPS,
    )


@bp.route("/starten", methods=["POST"])
def begin():
    try:
        attempt = services.start_attempt(_me(), current_app.config["REASSESSMENT_INTERVAL_DAYS"])
    except services.NotAvailable as error:
        if error.next_date:
            flash(
                _(
                    "Eine neue Selbsteinschätzung ist ab dem %(date)s möglich.",
                    date=format_date(error.next_date),
                ),
                "info",
            )
        else:
            flash(
                _(
                    "Die Selbsteinschätzung ist noch nicht eingerichtet. Bitte wenden Sie sich an HR."
                ),
                "error",
            )
        return redirect(url_for("assessments.start"))
    db.session.commit()
    return redirect(url_for("assessments.step", number=min(attempt.next_step, LAST_STEP)))


@bp.route("/schritt/<int:number>", methods=["GET", "POST"])
def step(number: int):
    if not 1 <= number <= LAST_STEP:
        abort(404)
    me = _me()
    attempt = services.open_attempt(me)
    if attempt is None:
        latest = services.latest_result(me)
        if latest is not None and request.method == "POST":
            # A second submit of the finished assessment: show the one result.
            return redirect(url_for("assessments.result", result_id=latest.id))
        return redirect(url_for("assessments.start"))
    definition = services.definition_for(attempt)
    if definition is None:
        abort(404)
    if number > attempt.next_step:
        flash(_("Bitte beantworten Sie zuerst Schritt %(n)d.", n=attempt.next_step), "error")
        return redirect(url_for("assessments.step", number=attempt.next_step))

    values = dict(attempt.answers or {})
    errors: list[str] = []
    missing: list[str] = []
    if request.method == "POST":
        parsed = parse_step(definition, number, request.form)
        if parsed.errors:
            errors, missing = parsed.errors, parsed.missing
            values = _with_submitted(values, number, request.form)
        else:
            services.save_step(attempt, number, parsed.values)
            if number < LAST_STEP:
                db.session.commit()
                return redirect(url_for("assessments.step", number=number + 1))
            assignment = paths.assignment_for(me)
            try:
                result = services.complete(
                    attempt,
                    definition,
                    nominated=bool(assignment and assignment.nominated_champion),
                )
                db.session.commit()
            except IntegrityError:
                db.session.rollback()  # the same attempt was completed by a parallel request
                result = services.latest_result(me)
            return redirect(url_for("assessments.result", result_id=result.id))
    return render_template(
        "assessments/step.html",
        number=number,
        steps=STEPS,
        attempt=attempt,
        definition=definition,
        model=services.competency_model(),
        values=values,
        errors=errors,
        missing=missing,
    ), 400 if errors else 200


def _with_submitted(values: dict, number: int, form) -> dict:
    """Keep what the person typed when the step is shown again with errors."""
    values = dict(values)
    if number == 1:
        values["function"] = form.get("function")
    elif number == 2:
        values["ratings"] = {k: v for k, v in form.items() if k.startswith("b-")}
    elif number == 3:
        values["answers"] = {k: form.getlist(k) for k in form.keys() if k.startswith("c-")}
    elif number == 4:
        values["volunteer"] = {"ja": True, "nein": False}.get(form.get("volunteer"))
        values["hours"] = form.get("hours")
    return values


@bp.route("/ergebnis/<int:result_id>")
def result(result_id: int):
    me = _me()
    found = services.own_result(me, result_id)
    if found is None:
        abort(404)
    model = services.competency_model()
    role, path, steps = paths.path_for(me, found.levels)
    role = role or found.path_role
    assignment = paths.assignment_for(me)
    rows = views.dimension_rows(model, found, role if role != "champion" else "champion")
    definition = services.definition_for(found.attempt)
    return render_template(
        "assessments/result.html",
        result=found,
        rows=rows,
        chart=views.chart_for(model, found, role),
        gaps=views.gap_sentences(rows),
        role_label=views.role_label(model, role),
        path=path,
        steps=steps,
        definition=definition,
        answers=found.attempt.answers,
        champion_choice=assignment.champion_choice if assignment else None,
    )


@bp.route("/verlauf")
def history():
    me = _me()
    model = services.competency_model()
    results = services.results_of(me)
    return render_template(
        "assessments/history.html",
        model=model,
        rows=views.history_rows(model, results) if model else [],
    )
