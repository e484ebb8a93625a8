"""The audit log for HR and the data-protection officer: read and export, never edit."""

from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, render_template, request
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lernpfad.access import audit_denied, roles_required
from lernpfad.audit import rules, services
from lernpfad.audit.forms import ACTION_LABELS, action_label, detail_text
from lernpfad.auth.models import Person, Role
from lernpfad.db import local_today
from lernpfad.extensions import db
from lernpfad.forms import has_control_characters, small_int

bp = Blueprint("audit", __name__, url_prefix="/protokoll", template_folder="templates")

READERS = (Role.HR, Role.DPO)
PERIOD_MESSAGES = {
    "invalid": _l("Bitte geben Sie das Datum als TT.MM.JJJJ ein (z. B. 31.01.2026)."),
    "future": _l("Das Datum liegt in der Zukunft."),
    "too_early": _l("Das Protokoll beginnt nicht vor dem Jahr 2000."),
    "reversed": _l("Der Beginn liegt nach dem Ende des Zeitraums."),
    "too_long": _l(
        "Bitte wählen Sie höchstens %(days)d Tage auf einmal (für ältere Einträge einen "
        "weiteren Zeitraum).",
        days=rules.MAX_PERIOD_DAYS,
    ),
}
TEXT_MESSAGES = {
    "long": _l("Bitte geben Sie höchstens 100 Zeichen ein."),
    "control": _l("Die Eingabe enthält unsichtbare Steuerzeichen. Bitte ohne sie eingeben."),
}
UNKNOWN_PERSON = _l("Eine Person mit dieser Nummer gibt es nicht.")
ERASED_PERSON = _l("Diese Person ist anonymisiert: Ihre Einträge stehen ohne Angaben im Protokoll.")
UNKNOWN_KIND = _l("Diese Art von Eintrag gibt es nicht. Bitte wählen Sie aus der Liste.")
EXPORT_COLUMNS = (
    "Nr.",
    "Zeitpunkt",
    "Art",
    "Handelnde Person",
    "E-Mail handelnde Person",
    "Betroffene Person",
    "E-Mail betroffene Person",
    "Angaben",
    "Prüfsumme",
)


def _filters() -> tuple[services.Filters | None, dict[str, str], dict[str, str]]:
    """The filters from the query string, the raw values (to show again) and the problems by
    field name."""
    args = request.args
    raw = {
        name: (args.get(name) or "").strip()
        for name in ("person", "handelnd", "art", "von", "bis", "betroffen")
    }
    errors: dict[str, str] = {}
    subject_id = None
    if raw["betroffen"]:
        subject_id = small_int(raw["betroffen"])
        if subject_id is None or db.session.get(Person, subject_id) is None:
            errors["betroffen"] = str(UNKNOWN_PERSON)
    for name in ("person", "handelnd"):
        if len(raw[name]) > 100:
            errors[name] = str(TEXT_MESSAGES["long"])
        elif has_control_characters(raw[name]):
            errors[name] = str(TEXT_MESSAGES["control"])
    if raw["art"] and (raw["art"] not in ACTION_LABELS or raw["art"] in services.UNLISTED_ACTIONS):
        errors["art"] = str(UNKNOWN_KIND)
    period, problems = rules.parse_period(raw["von"], raw["bis"], local_today())
    for field, key in problems.items():
        errors["von" if field == "start" else "bis"] = str(PERIOD_MESSAGES[key])
    if errors:
        return None, raw, errors
    if not raw["von"]:
        raw["von"] = period.start.isoformat()
    if not raw["bis"]:
        raw["bis"] = period.end.isoformat()
    return (
        services.Filters(
            period=period,
            subject=raw["person"],
            subject_id=subject_id,
            actor=raw["handelnd"],
            action=raw["art"],
        ),
        raw,
        errors,
    )


def _kinds() -> list[tuple[str, str]]:
    return sorted(
        (
            (key, str(label))
            for key, label in ACTION_LABELS.items()
            if key not in services.UNLISTED_ACTIONS
        ),
        key=lambda k: k[1],
    )


@bp.route("/")
@roles_required(*READERS)
@audit_denied
def index():
    filters, raw, errors = _filters()
    rows, next_before = ([], None)
    person = None
    if filters is not None:
        rows, next_before = services.search(filters, small_int(request.args.get("vor")))
        if filters.subject_id is not None:
            person = db.session.get(Person, filters.subject_id)
    return render_template(
        "audit/index.html",
        person=person,
        erased_note=ERASED_PERSON,
        rows=rows,
        next_before=next_before,
        raw=raw,
        errors=errors,
        kinds=_kinds(),
        action_label=action_label,
        detail_text=detail_text,
        paged=request.args.get("vor") is not None,
    ), 400 if errors else 200


@bp.route("/export.csv", defaults={"fmt": "csv"})
@bp.route("/export.xlsx", defaults={"fmt": "xlsx"})
@roles_required(*READERS)
@audit_denied
def export(fmt: str):
    """Every entry of the filter as CSV or XLSX (streamed); the export is itself audited."""
    filters, raw, errors = _filters()
    if filters is None:
        return index()
    from lernpfad.audit.services import record_audit
    from lernpfad.core.exports import export_response

    me = current_user._get_current_object()
    record_audit(
        actor=me,
        action="audit.exported",
        format=fmt,
        period=f"{filters.period.start.isoformat()}–{filters.period.end.isoformat()}",
        **{key: value for key, value in (("kind", filters.action),) if value},
    )
    db.session.commit()  # the export is on record before the first byte leaves

    locale = str(get_locale())  # the stream runs after the request's user is let go
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])

    def rows():
        with force_locale(locale):
            yield from _export_rows(filters, zone)

    return export_response(
        fmt, f"lernpfad-protokoll-{raw['von']}-bis-{raw['bis']}", EXPORT_COLUMNS, rows()
    )


def _export_rows(filters: services.Filters, zone: ZoneInfo):
    """One tuple per entry; the time in the company's zone, as a real date-time in Excel."""
    labels = {key: str(label) for key, label in ACTION_LABELS.items()}
    for row in services.rows_for_export(filters):
        yield (
            row.id,
            row.at.astimezone(zone).replace(tzinfo=None, microsecond=0),
            labels.get(row.action, row.action),
            row.actor_name or "",
            row.actor_email or "",
            row.subject_name or "",
            row.subject_email or "",
            detail_text(row.details),
            row.hash,
        )
