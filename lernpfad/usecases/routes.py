"""The use-case register: ranked list, detail with linked tasks, create and edit."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields import SelectChoice

from lernpfad.access import roles_required
from lernpfad.auth.models import Department, Role
from lernpfad.content.services import current_modules
from lernpfad.extensions import db
from lernpfad.forms import small_int
from lernpfad.usecases import services
from lernpfad.usecases.forms import STATUS_LABELS, UseCaseForm
from lernpfad.usecases.models import UseCase
from lernpfad.usecases.rules import WEIGHTS, priority_score

bp = Blueprint("usecases", __name__, url_prefix="/anwendungsfaelle", template_folder="templates")
READERS = (Role.DEPARTMENT_HEAD, Role.CHAMPION, Role.LEADERSHIP, Role.HR)


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
    )


@bp.route("/<int:use_case_id>")
@roles_required(*READERS)
def show(use_case_id: int):
    use_case = db.get_or_404(UseCase, use_case_id)
    scope = services.scope_of(_me())
    if not scope.may_view(use_case.department_id):
        abort(404)
    return render_template(
        "usecases/show.html",
        case=use_case,
        priority=priority_score(
            use_case.score_value, use_case.score_feasibility, use_case.score_strategic
        ),
        status_labels=STATUS_LABELS,
        submissions=services.linked_submissions(use_case),
        see_submitters=scope.may_edit(use_case.department_id),
        may_edit=scope.may_edit(use_case.department_id),
        modules=current_modules(),
    )


@bp.route("/neu", methods=["GET", "POST"])
@roles_required(Role.DEPARTMENT_HEAD, Role.CHAMPION)
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
@roles_required(Role.DEPARTMENT_HEAD, Role.CHAMPION)
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
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in services.FIELDS if name != "process"}
        values["process"] = form.business_process.data
        if form.department_id is not None:
            use_case.department_id = form.department_id.data  # one of the choices offered
        try:
            services.save(use_case, values)
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
    return render_template(
        "usecases/edit.html", form=form, case=use_case, is_new=is_new
    ), 400 if form.errors else 200
