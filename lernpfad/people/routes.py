"""HR and administrators: the staff list, invitations, CSV import, deactivation."""

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields import SelectChoice

from lernpfad.access import roles_required
from lernpfad.auth.models import Department, Person, Role
from lernpfad.core.links import external_url
from lernpfad.extensions import db
from lernpfad.forms import small_int
from lernpfad.people import rules, services
from lernpfad.people.forms import ROLE_LABELS, ImportForm, InviteForm

bp = Blueprint("people", __name__, url_prefix="/personen", template_folder="templates")

STAFF_ADMINS = (Role.HR, Role.ADMIN)


@bp.route("/")
@roles_required(*STAFF_ADMINS)
def index():
    search = request.args.get("q", "").strip()[:100]
    raw_department = request.args.get("abteilung", "")
    raw_page = request.args.get("seite", "1")
    departments = services.departments()
    department_id = small_int(raw_department)
    if department_id not in {d.id for d in departments}:
        department_id = None  # an unknown or malformed filter shows everyone
    overview = services.people_overview(
        search=search,
        department_id=department_id,
        page=small_int(raw_page, digits=6) or 1,
    )
    return render_template(
        "people/index.html",
        overview=overview,
        departments=departments,
        search=search,
        department_id=department_id,
        role_labels=ROLE_LABELS,
    )


@bp.route("/neu", methods=["GET", "POST"])
@roles_required(*STAFF_ADMINS)
def invite():
    me = current_user._get_current_object()
    form = InviteForm()
    form.department_id.choices = [SelectChoice(0, _("— keine —"))] + [
        SelectChoice(d.id, d.name) for d in services.departments()
    ]
    grantable = rules.grantable_roles(me.roles)
    form.roles.choices = [c for c in form.roles.choices if Role(c.value) in grantable]
    if form.validate_on_submit():
        department = db.session.get(Department, form.department_id.data) or None
        try:
            person = services.create_person(
                name=form.name.data,
                email=form.email.data,
                department=department,
                job_function=form.job_function.data or "",
                roles={Role(value) for value in form.roles.data},
                actor=me,
                via="form",
            )
        except services.PersonExists:
            form.email.errors.append(_("Diese E-Mail-Adresse ist bereits vergeben."))
        except services.RoleChangeRefused as refused:
            db.session.rollback()
            form.roles.errors.append(services.ROLE_CHANGE_MESSAGES[str(refused)])
        else:
            token = services.invite(person, current_app.config["INVITATION_VALID_HOURS"])
            db.session.commit()
            link = external_url("auth.set_password", token=token)
            return render_template("people/invited.html", person=person, link=link)
    return render_template("people/invite.html", form=form), 400 if form.errors else 200


@bp.route("/<int:person_id>/deaktivieren", methods=["POST"])
@roles_required(*STAFF_ADMINS)
def deactivate(person_id: int):
    person = db.get_or_404(Person, person_id)
    me = current_user._get_current_object()
    problem = rules.role_change_problem(
        me.roles, own=me.id == person.id, before=person.roles, after=set()
    )
    if problem:
        flash(DEACTIVATE_REFUSED[problem], "error")
        return redirect(url_for("people.index"))
    services.deactivate(person)
    db.session.commit()
    flash(
        _("%(name)s wurde deaktiviert und kann sich nicht mehr anmelden.", name=person.name),
        "success",
    )
    return redirect(url_for("people.index"))


DEACTIVATE_REFUSED = {
    "own_roles": _l("Sie können sich nicht selbst deaktivieren."),
    "not_allowed": _l("Personen deaktivieren nur HR und die Administration."),
    "admin_only": _l(
        "Personen mit der Rolle „HR / Personalentwicklung“ oder „Administration“ deaktiviert nur die Administration."
    ),
}

IMPORT_FILE_MESSAGES = {
    "empty": _l("Die Datei enthält keine Zeilen."),
    "no_header": _l(
        "Die erste Zeile muss die Spaltennamen enthalten, z. B. „Name;E-Mail;Abteilung“."
    ),
    "no_name_email": _l("Die Spalten „Name“ und „E-Mail“ sind nötig."),
    "too_many": _l("Höchstens 5.000 Personen je Datei."),
    "encoding": _l("Die Datei ist nicht als UTF-8 gespeichert. Bitte in Excel „CSV UTF-8“ wählen."),
    "race": _l(
        "Ein Teil der Liste wurde gerade gleichzeitig angelegt. Bitte prüfen Sie die Datei erneut."
    ),
    "malformed": _l(
        "Die Datei ist keine lesbare CSV-Datei (Steuerzeichen oder ein Feld über 100.000 Zeichen)."
    ),
}
LINE_MESSAGES = {
    "name_missing": _l("Name fehlt"),
    "email_missing": _l("E-Mail-Adresse fehlt"),
    "email_invalid": _l("keine gültige E-Mail-Adresse"),
    "too_long": _l("zu lang"),
    "control_characters": _l("enthält unsichtbare Steuerzeichen"),
    "role_unknown": _l("unbekannte Rolle"),
    "role_admin_only": _l("diese Rolle vergibt nur die Administration"),
    "duplicate": _l("doppelt in der Datei, zuerst in Zeile"),
}


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*STAFF_ADMINS)
def import_people():
    """Check a CSV of staff line by line; import only when every line is fine."""
    form = ImportForm()
    lines, file_error, result = None, None, None
    if form.validate_on_submit():
        try:
            text = form.file.data.read().decode("utf-8")
            rows = rules.parse(text)
        except UnicodeDecodeError:
            file_error = IMPORT_FILE_MESSAGES["encoding"]
        except rules.ImportFileInvalid as invalid:
            file_error = IMPORT_FILE_MESSAGES[str(invalid)]
        else:
            existing = set(db.session.scalars(sa.select(Person.email)))
            grantable = rules.grantable_roles(current_user.roles)
            lines = rules.check(rows, existing, grantable)
            if request.form.get("action") == "importieren" and all(line.ok for line in lines):
                result = _import(lines, form.invite.data)
                if result is None:
                    file_error = IMPORT_FILE_MESSAGES["race"]
    failed = bool(file_error or form.errors or (lines and not all(line.ok for line in lines)))
    return render_template(
        "people/import.html",
        form=form,
        lines=lines,
        file_error=file_error,
        result=result,
        line_messages=LINE_MESSAGES,
        role_labels=ROLE_LABELS,
    ), 400 if failed else 200


def _import(lines, invite: bool):
    """Import checked lines and commit; None when a parallel import got there first."""
    try:
        result = services.import_people(
            lines,
            invite_hours=current_app.config["INVITATION_VALID_HOURS"] if invite else None,
            invitation_link=lambda token: external_url("auth.set_password", token=token),
            actor=current_user._get_current_object(),
        )
        db.session.commit()  # invitations wait in the outbox for the mail job
    except (IntegrityError, services.PersonExists, services.RoleChangeRefused):
        db.session.rollback()
        return None
    return result


@bp.route("/<int:person_id>/anonymisieren", methods=["GET", "POST"])
@roles_required(*STAFF_ADMINS)
def anonymise(person_id: int):
    """Erase a leaver's identity after a confirmation; numbers for reports stay anonymous."""
    person = db.get_or_404(Person, person_id)
    error = None
    if request.method == "POST":
        if request.form.get("confirmed") != "ja":
            error = _("Bitte bestätigen Sie, dass die Daten unwiderruflich gelöscht werden.")
        else:
            try:
                services.anonymise(person, current_user._get_current_object())
            except services.AnonymiseRefused as refused:
                db.session.rollback()
                error = str(refused)
            else:
                db.session.commit()
                flash(_("Die Person wurde anonymisiert."), "success")
                return redirect(url_for("people.index"))
    return render_template("people/anonymise.html", person=person, error=error), (
        400 if error else 200
    )
