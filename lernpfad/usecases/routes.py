"""The use-case register: ranked list, detail with linked tasks, create and edit; pilots
(measurements, decision); similar use cases of other departments."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields import SelectChoice

from lernpfad.access import roles_required
from lernpfad.auth.models import Department, Role
from lernpfad.content.services import current_modules
from lernpfad.db import local_today
from lernpfad.extensions import db
from lernpfad.forms import small_int
from lernpfad.toolbox.forms import STATUS_LABELS as TOOL_STATUS_LABELS
from lernpfad.toolbox.services import tools_serving
from lernpfad.usecases import pilots, services
from lernpfad.usecases.forms import (
    DECISION_LABELS,
    MEASUREMENT_MESSAGES,
    STATUS_LABELS,
    DecisionForm,
    MeasurementForm,
    UseCaseForm,
)
from lernpfad.usecases.models import UseCase
from lernpfad.usecases.rules import WEIGHTS, priority_score

bp = Blueprint("usecases", __name__, url_prefix="/anwendungsfaelle", template_folder="templates")
READERS = (Role.DEPARTMENT_HEAD, Role.CHAMPION, *services.COMPANY_VIEWERS)
EDITORS = (Role.DEPARTMENT_HEAD, Role.CHAMPION)
# What the form sends to services.save besides the process and the KPI numbers.
FORM_FIELDS = (
    "title",
    "problem",
    "expected_benefit",
    "kpi_name",
    "kpi_baseline",
    "kpi_target",
    "score_value",
    "score_feasibility",
    "score_strategic",
    "status",
    "pilot_started_on",
    "pilot_weeks",
)


def _me():
    return current_user._get_current_object()


@bp.route("/")
@roles_required(*READERS)
def index():
    scope = services.scope_of(_me())
    choices = services.filter_departments(scope)
    department_id = small_int(request.args.get("abteilung"))
    if department_id not in {d.id for d in choices}:
        department_id = None  # unknown or outside the scope: the whole scope
    return render_template(
        "usecases/index.html",
        cases=services.visible_use_cases(scope, department_id),
        priority=priority_score,
        status_labels=STATUS_LABELS,
        weights=WEIGHTS,
        departments=choices if len(choices) > 1 else [],
        department_id=department_id,
        may_create=bool(scope.departments),
        may_see_duplicates=_me().has_role(*services.DUPLICATE_VIEWERS),
        latest=services.latest_readings(),
    )


@bp.route("/<int:use_case_id>")
@roles_required(*READERS)
def show(use_case_id: int):
    use_case = db.get_or_404(UseCase, use_case_id)
    scope = services.scope_of(_me())
    if not scope.may_view(use_case.department_id):
        abort(404)
    return _show(use_case, scope)


def _show(use_case, scope, *, measurement_form=None, decision_form=None, status=200):
    today = local_today()
    decisions = services.decisions(use_case)
    if decision_form is not None:
        decision_form.seen.data = str(len(decisions))  # sent again, it decides on what it shows
    if measurement_form is None:
        measurement_form = MeasurementForm(formdata=None, measured_on=today, prefix="messung")
    pilot = services.pilot_of(use_case, today)
    measurement_form.seen.data = str(len(pilot.readings))
    return render_template(
        "usecases/show.html",
        case=use_case,
        priority=priority_score(
            use_case.score_value, use_case.score_feasibility, use_case.score_strategic
        ),
        status_labels=STATUS_LABELS,
        decision_labels=DECISION_LABELS,
        submissions=services.linked_submissions(use_case),
        see_submitters=scope.may_edit(use_case.department_id),
        may_edit=scope.may_edit(use_case.department_id),
        modules=current_modules(),
        pilot=pilot,
        decisions=decisions,
        measurement_form=measurement_form,
        decision_form=decision_form
        or DecisionForm(formdata=None, prefix="entscheidung", seen=len(decisions)),
        tools=tools_serving(use_case.id),
        tool_status_labels=TOOL_STATUS_LABELS,
    ), status


def _editable(use_case_id: int) -> tuple[UseCase, object]:
    """The use case, if this person may work on it (the edit rules); else 404."""
    use_case = db.get_or_404(UseCase, use_case_id)
    scope = services.scope_of(_me())
    if not scope.may_edit(use_case.department_id):
        abort(404)
    return use_case, scope


@bp.route("/<int:use_case_id>/messwerte", methods=["POST"])
@roles_required(*EDITORS)
def measure(use_case_id: int):
    """Record a KPI reading of a running pilot."""
    use_case, scope = _editable(use_case_id)
    form = MeasurementForm(prefix="messung")
    valid = form.validate_on_submit()
    reading = pilots.check_measurement(
        form.value.data or "",
        form.measured_on.data,
        unit=use_case.kpi_unit,
        started_on=use_case.pilot_started_on if use_case.status == "pilot" else None,
        today=local_today(),
    )
    for name, code in reading.errors.items():
        field = getattr(form, name, None)
        if field is None:
            form.form_errors.append(
                _("Messwerte werden nur während eines laufenden Piloten erfasst.")
            )
        elif not field.errors:
            message = MEASUREMENT_MESSAGES[(name, code)] % {
                "start": format_date(use_case.pilot_started_on),
                "written": _written_unit(form.value.data),
                "unit": use_case.kpi_unit or "",
            }
            field.errors.append(message)
    if form.seen.data and form.seen.data != str(len(services.measurements(use_case))):
        form.form_errors.append(
            _(
                "Inzwischen wurde ein Messwert gespeichert – vielleicht dieser. Bitte prüfen Sie die Messwerte oben und speichern Sie erneut, wenn er fehlt."
            )
        )
    if not valid or reading.errors or form.form_errors:
        return _show(use_case, scope, measurement_form=form, status=400)
    services.record_measurement(
        use_case,
        _me(),
        value=reading.value,
        measured_on=form.measured_on.data,
        note=form.note.data,
    )
    db.session.commit()
    flash(_("Messwert gespeichert."), "success")
    return redirect(url_for("usecases.show", use_case_id=use_case.id, _anchor="pilot"))


def _written_unit(text: str | None) -> str:
    try:
        return pilots.parse_quantity(text or "")[1] or ""
    except pilots.QuantityError:
        return ""


@bp.route("/<int:use_case_id>/entscheidung", methods=["POST"])
@roles_required(*EDITORS)
def decide(use_case_id: int):
    """The decision on a pilot: scale up, extend or stop, with a reason."""
    use_case, scope = _editable(use_case_id)
    form = DecisionForm(prefix="entscheidung")
    if use_case.status != "pilot":
        form.form_errors.append(_("Entschieden wird nur über einen laufenden Piloten."))
        form.validate_on_submit()
        return _show(use_case, scope, decision_form=form, status=400)
    if not form.validate_on_submit():
        return _show(use_case, scope, decision_form=form, status=400)
    if form.seen.data and form.seen.data != str(len(services.decisions(use_case))):
        form.form_errors.append(
            _(
                "Über diesen Piloten wurde inzwischen schon entschieden. Bitte prüfen Sie die Entscheidungen oben, bevor Sie eine weitere treffen."
            )
        )
        return _show(use_case, scope, decision_form=form, status=400)
    services.decide(
        use_case,
        _me(),
        decision=form.decision.data,
        reason=form.reason.data,
        extra_weeks=form.extra_weeks.data,
    )
    db.session.commit()
    flash(_("Entscheidung gespeichert."), "success")
    return redirect(url_for("usecases.show", use_case_id=use_case.id, _anchor="pilot"))


@bp.route("/aehnliche")
@roles_required(*EDITORS)
def similar():
    """The list of similar use cases of other departments, as an HTML fragment for the form's
    script (similar-use-cases.js)."""
    me = _me()
    ids = {d.id for d in services.scope_departments(services.scope_of(me))}
    department_id = small_int(request.args.get("abteilung"))
    if department_id not in ids:
        department_id = me.department_id
    found = services.similar_use_cases(
        request.args.get("titel", "")[:200],
        request.args.get("prozess", "")[:300],
        request.args.get("problem", "")[:4000],
        department_id=department_id,
        exclude_id=small_int(request.args.get("ausser")),
    )
    return render_template("usecases/_similar.html", similar=found, status_labels=STATUS_LABELS)


@bp.route("/doppelarbeit")
@roles_required(*services.DUPLICATE_VIEWERS)
def duplicates():
    """Clusters of similar use cases across departments, so they can join forces."""
    return render_template(
        "usecases/duplicates.html",
        clusters=services.duplicate_clusters(),
        status_labels=STATUS_LABELS,
    )


@bp.route("/neu", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create():
    me = _me()
    choices = services.scope_departments(services.scope_of(me))
    if not choices:
        abort(403)
    wanted = small_int(request.args.get("abteilung"))
    ids = [d.id for d in choices]
    department_id = (
        wanted if wanted in ids else me.department_id if me.department_id in ids else ids[0]
    )
    return _edit(
        UseCase(department_id=department_id, created_by_id=me.id, status="idee"),
        is_new=True,
        departments=choices,
    )


@bp.route("/<int:use_case_id>/bearbeiten", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(use_case_id: int):
    use_case = db.get_or_404(UseCase, use_case_id)
    if not services.can_edit(_me(), use_case):
        abort(404)
    return _edit(use_case, is_new=False)


def _edit(use_case: UseCase, *, is_new: bool, departments: list[Department] = ()):
    """The form; ``departments`` to choose from when a new use case may belong to several (a
    champion's). An existing use case keeps its department: its linked tasks belong there."""
    form = UseCaseForm(obj=None if is_new else use_case)
    if len(departments) > 1:
        form.department_id.choices = [SelectChoice(0, _("— bitte wählen —"))] + [
            SelectChoice(d.id, d.name) for d in departments
        ]
        if not form.is_submitted():
            form.department_id.data = use_case.department_id
    else:
        del form.department_id
    if not form.is_submitted() and not is_new:
        form.business_process.data = use_case.process
        for name in ("score_value", "score_feasibility", "score_strategic"):
            getattr(form, name).data = str(getattr(use_case, name))
        form.pilot_weeks.data = use_case.pilot_weeks or pilots.DEFAULT_WEEKS
    # "Ähnliche prüfen" (the form without JavaScript): show the similar ones, save nothing.
    checking = form.is_submitted() and "aehnliche_pruefen" in request.form
    if form.is_submitted() and not checking:
        valid = form.validate_on_submit()
        numbers = form.kpi_numbers()
        if valid and numbers is not None:
            values = {name: getattr(form, name).data for name in FORM_FIELDS}
            values.update(numbers, process=form.business_process.data)
            if form.department_id is not None:
                use_case.department_id = form.department_id.data  # one of the choices offered
            try:
                services.save(use_case, values, today=local_today())
            except services.DecisionNeeded:
                db.session.rollback()
                form.status.errors.append(
                    _(
                        "Einen laufenden Piloten beenden Sie mit einer begründeten Entscheidung (Ausrollen, Verlängern oder Stoppen) auf der Seite des Anwendungsfalls."
                    )
                )
            except services.StatusRefused:
                db.session.rollback()
                form.status.errors.append(
                    _(
                        "Dieser Statuswechsel ist nicht vorgesehen (Idee → bewertet → Pilot → im Einsatz, oder verworfen)."
                    )
                )
            else:
                db.session.commit()
                flash(_("Anwendungsfall gespeichert."), "success")
                return redirect(url_for("usecases.show", use_case_id=use_case.id))
    department_id = use_case.department_id
    if form.department_id is not None and form.department_id.data in {d.id for d in departments}:
        department_id = form.department_id.data
    similar = []
    if form.is_submitted() or not is_new:
        similar = services.similar_use_cases(
            form.title.data or "",
            form.business_process.data or "",
            form.problem.data or "",
            department_id=department_id,
            exclude_id=use_case.id,
        )
    return render_template(
        "usecases/edit.html",
        form=form,
        case=use_case,
        is_new=is_new,
        similar=similar,
        checked=checking,
        department_id=department_id,
        status_labels=STATUS_LABELS,
    ), 400 if form.errors else 200
