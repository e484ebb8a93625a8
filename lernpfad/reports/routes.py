"""Aggregated reports: HR (company, by department), department heads (own), leadership (KPIs)."""

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from lernpfad.access import roles_required
from lernpfad.assessments.services import competency_model
from lernpfad.auth.models import Department, Role
from lernpfad.extensions import db
from lernpfad.people.services import departments
from lernpfad.reports import services
from lernpfad.usecases.forms import STATUS_LABELS

bp = Blueprint("reports", __name__, url_prefix="/berichte", template_folder="templates")


def _render(title: str, department: Department | None = None, *, by_department: bool, choose: bool):
    model = competency_model() or {"dimensions": []}
    dimensions = [(d["key"], d["label"]) for d in model["dimensions"]]
    min_group = current_app.config["PRIVACY_MIN_GROUP"]
    return render_template(
        "reports/report.html",
        title=title,
        department=department,
        report=services.report(
            [key for key, _label in dimensions], min_group, department.id if department else None
        ),
        dimensions=dimensions,
        min_group=min_group,
        by_department=by_department,
        departments=departments() if choose else [],
        status_labels=STATUS_LABELS,
    )


@bp.route("/")
@roles_required(Role.HR)
def hr():
    raw = request.args.get("abteilung", "")
    department = db.session.get(Department, int(raw)) if raw.isdigit() and len(raw) < 10 else None
    return _render(_("Berichte"), department, by_department=department is None, choose=True)


@bp.route("/bereich")
@roles_required(Role.DEPARTMENT_HEAD)
def department():
    me = current_user._get_current_object()
    if me.department is None:
        return render_template("reports/no_department.html")
    return _render(_("Mein Bereich"), me.department, by_department=False, choose=False)


@bp.route("/kennzahlen")
@roles_required(Role.LEADERSHIP)
def leadership():
    return _render(_("Kennzahlen"), None, by_department=True, choose=False)
