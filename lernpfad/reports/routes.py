"""Aggregated reports: HR (company, by department), department heads (own), leadership (KPIs)."""

from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from lernpfad.access import audit_denied, roles_required
from lernpfad.assessments.services import competency_model
from lernpfad.audit.services import record_audit
from lernpfad.auth.models import Department, Role
from lernpfad.content.services import current_modules
from lernpfad.core.exports import export_response
from lernpfad.db import local_today
from lernpfad.extensions import db
from lernpfad.forms import small_int
from lernpfad.people.services import departments
from lernpfad.privacy.mode import individual_levels_allowed
from lernpfad.reports import evidence_pdf as evidence_document
from lernpfad.reports import forms, rules, services, snapshots
from lernpfad.reports.forms import EARLIEST
from lernpfad.usecases.forms import STATUS_LABELS
from lernpfad.usecases.services import pipeline as usecase_pipeline

bp = Blueprint("reports", __name__, url_prefix="/berichte", template_folder="templates")


def _render(
    title: str,
    department: Department | None = None,
    *,
    by_department: bool,
    choose: bool,
    company_view: bool = True,
    **extra,
):
    model = competency_model() or {"dimensions": []}
    dimensions = [(d["key"], d["label"]) for d in model["dimensions"]]
    min_group = current_app.config["PRIVACY_MIN_GROUP"]
    report = services.report(
        [key for key, _label in dimensions],
        min_group,
        department.id if department else None,
        company_view=company_view,
    )
    db.session.commit()  # a new publication step, if enough changed
    return render_template(
        "reports/report.html",
        title=title,
        department=department,
        report=report,
        bars=rules.bar_lengths(report.distribution),
        dimensions=dimensions,
        min_group=min_group,
        by_department=by_department,
        departments=departments() if choose else [],
        status_labels=STATUS_LABELS,
        trend=snapshots.trend_html(department.id if department else None, dimensions, min_group),
        **extra,
    )


@bp.route("/")
@roles_required(Role.HR)
def hr():
    department_id = small_int(request.args.get("abteilung"))
    department = db.session.get(Department, department_id) if department_id else None
    return _render(_("Berichte"), department, by_department=department is None, choose=True)


@bp.route("/bereich")
@roles_required(Role.DEPARTMENT_HEAD)
def department():
    me = current_user._get_current_object()
    if me.department is None:
        return render_template("reports/no_department.html")
    # A head sees only their own department, never the company totals to subtract it from.
    return _render(
        _("Mein Bereich"), me.department, by_department=False, choose=False, company_view=False
    )


@bp.route("/kennzahlen")
@roles_required(Role.LEADERSHIP)
def leadership():
    # The use-case pipeline with the pilots' measured effects (lernpfad/usecases).
    pipeline = usecase_pipeline(current_app.config["PRIVACY_MIN_GROUP"], local_today())
    return _render(
        _("Kennzahlen"),
        None,
        by_department=True,
        choose=False,
        pipeline=pipeline,
        modules=current_modules(),
    )


def _evidence_page(scope: forms.EvidenceScope, status: int = 200):
    """The evidence page for ``scope``; with its errors (and the defaults) when ``status`` is 400."""
    model = competency_model() or {"dimensions": []}
    dimensions = [(d["key"], d["label"]) for d in model["dimensions"]]
    choices = departments()
    evidence = _evidence(scope, dimensions)
    db.session.commit()  # a new publication step, if enough changed
    page = render_template(
        "reports/evidence.html",
        evidence=evidence,
        scope=scope,
        department=next((d for d in choices if d.id == scope.department_id), None),
        departments=choices,
        raw={key: request.args.get(key, "")[:40] for key in ("stichtag", "abteilung")},
        dimensions=dimensions,
        roles={r["key"]: r["label"] for r in model.get("roles", [])},
        min_group=current_app.config["PRIVACY_MIN_GROUP"],
        today=local_today(),
        earliest=EARLIEST,
    )
    return page, status


def _evidence(scope: forms.EvidenceScope, dimensions) -> services.Evidence:
    return services.evidence(
        [key for key, _label in dimensions],
        current_app.config["PRIVACY_MIN_GROUP"],
        scope.department_id,
        day=None if scope.day == local_today() else scope.day,
        timezone=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]),
        reassessment_days=current_app.config["REASSESSMENT_INTERVAL_DAYS"],
    )


def _evidence_scope() -> forms.EvidenceScope:
    return forms.evidence_scope(
        request.args.get("stichtag"),
        request.args.get("abteilung"),
        today=local_today(),
        department_ids={d.id for d in departments()},
    )


@bp.route("/nachweis")
@roles_required(Role.HR)
def evidence():
    """AI Act Art. 4: the measures taken, for an audit or the works council. Aggregates only —
    for the company or one department, today or as of a past Stichtag."""
    scope = _evidence_scope()
    if scope.errors:
        return _evidence_page(forms.EvidenceScope(local_today(), None, scope.errors), 400)
    return _evidence_page(scope)


@bp.route("/nachweis.pdf")
@roles_required(Role.HR)
def evidence_pdf():
    """The evidence as an A4 PDF (German), for the works council or an auditor; audited."""
    scope = _evidence_scope()
    if scope.errors:
        return _evidence_page(forms.EvidenceScope(local_today(), None, scope.errors), 400)
    me = current_user._get_current_object()
    model = competency_model() or {"dimensions": []}
    dimensions = [(d["key"], d["label"]) for d in model["dimensions"]]
    evidence = _evidence(scope, dimensions)
    department = db.session.get(Department, scope.department_id) if scope.department_id else None
    document = evidence_document.render(
        evidence,
        day=scope.day,
        department=department.name if department else None,
        dimensions=dimensions,
        roles={r["key"]: r["label"] for r in model.get("roles", [])},
        min_group=current_app.config["PRIVACY_MIN_GROUP"],
        author=me.name,
        individual_mode=individual_levels_allowed(),
    )
    record_audit(
        actor=me,
        action="evidence.pdf",
        scope=department.name if department else "company",
        department_id=scope.department_id,
        stichtag=scope.day.isoformat(),
    )
    db.session.commit()
    where = f"-abteilung-{scope.department_id}" if scope.department_id else ""
    filename = f"nachweis-art4-ki-kompetenz-{scope.day.isoformat()}{where}.pdf"
    return Response(
        document,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/nachweis/schulungen.csv")
@roles_required(Role.HR)
@audit_denied
def training_csv():
    """Who completed which module when, on which content version — individual records, audited."""
    return _training_export("csv")


@bp.route("/nachweis/schulungen.xlsx")
@roles_required(Role.HR)
@audit_denied
def training_xlsx():
    """The same records as an Excel workbook (real dates, a frozen header row)."""
    return _training_export("xlsx")


def _training_export(fmt: str):
    # The file is streamed after the view has returned: the audit event is committed first.
    record_audit(
        actor=current_user._get_current_object(),
        action="training_records_export",
        format=fmt,
        rows=services.training_record_count(),
    )
    db.session.commit()
    return export_response(
        fmt,
        f"lernpfad-schulungsnachweis-{local_today().isoformat()}",
        services.TRAINING_COLUMNS,
        services.training_records(),
        sheet_title="Schulungsnachweise",
    )
