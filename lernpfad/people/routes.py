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
from lernpfad.extensions import db
from lernpfad.forms import small_int
from lernpfad.people import rules, services
from lernpfad.people.forms import ROLE_LABELS, ImportForm, InviteForm, PersonForm

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
        department_names={d.id: d.name for d in departments},
        # Translated once per page, not once per row.
        role_labels={role: str(label) for role, label in ROLE_LABELS.items()},
        links=_row_links("people.show", "paths.override", "people.deactivate"),
    )


_STAND_IN = 2**31 - 1  # the largest id an address takes (core.security.BoundedIntegerConverter)


def _row_links(*endpoints: str) -> dict[str, tuple[str, str]]:
    """Each endpoint's address for a person, split around the person's id: the rows of a page
    differ only there, and url_for costs more than the rest of a row."""
    links = {}
    for endpoint in endpoints:
        before, _, after = url_for(endpoint, person_id=_STAND_IN).rpartition(str(_STAND_IN))
        links[endpoint] = (before, after)
    return links


def _department_choices() -> list[SelectChoice]:
    return [SelectChoice(0, _("— keine —"))] + [
        SelectChoice(d.id, d.name) for d in services.departments()
    ]


def _grantable_role_choices(form, me) -> None:
    grantable = rules.grantable_roles(me.roles)
    form.roles.choices = [c for c in form.roles.choices if Role(c.value) in grantable]


def _mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


@bp.route("/neu", methods=["GET", "POST"])
@roles_required(*STAFF_ADMINS)
def invite():
    me = current_user._get_current_object()
    form = InviteForm()
    form.department_id.choices = _department_choices()
    _grantable_role_choices(form, me)
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
            by_mail = _mail_configured()
            link = services.send_invitation(
                person, current_app.config["INVITATION_VALID_HOURS"], by_mail=by_mail
            )
            db.session.commit()
            return render_template(
                "people/invited.html",
                person=person,
                link=None if by_mail else link,
                hours=current_app.config["INVITATION_VALID_HOURS"],
            )
    return render_template("people/invite.html", form=form), 400 if form.errors else 200


UPDATE_MESSAGES = {
    "email_taken": _l("Diese E-Mail-Adresse ist bereits vergeben."),
    "manager_cycle": _l(
        "Diese Person kann nicht vorgesetzt sein: Sie ist der Person selbst unterstellt."
    ),
}


@bp.route("/<int:person_id>", methods=["GET", "POST"])
@roles_required(*STAFF_ADMINS)
def show(person_id: int):
    """One person's record: HR edits name, address, department, function, roles and manager."""
    person = db.get_or_404(Person, person_id)
    me = current_user._get_current_object()
    if person.anonymised:
        return render_template("people/show.html", person=person, form=None)
    form = PersonForm(obj=None if request.method == "POST" else person)
    form.department_id.choices = _department_choices()
    _grantable_role_choices(form, me)
    form.manager_id.choices = [SelectChoice(0, _("— keine —"))] + [
        SelectChoice(p.id, p.name) for p in services.manager_choices(person)
    ]
    if request.method == "GET":
        form.department_id.data = person.department_id or 0
        form.manager_id.data = person.manager_id or 0
        form.roles.data = [r.value for r in person.roles if r != Role.LEARNER]
    kept = {r for r in person.roles if r not in rules.grantable_roles(me.roles)}
    if form.validate_on_submit():
        try:
            changed = services.update_person(
                person,
                name=form.name.data,
                email=form.email.data,
                department=db.session.get(Department, form.department_id.data),
                job_function=form.job_function.data or "",
                # Roles this person may not give stay as they are (the form does not show them).
                roles={Role(value) for value in form.roles.data} | kept,
                manager=db.session.get(Person, form.manager_id.data)
                if form.manager_id.data
                else None,
                actor=me,
            )
        except services.UpdateRefused as refused:
            db.session.rollback()
            field = form.email if str(refused) == "email_taken" else form.manager_id
            field.errors.append(UPDATE_MESSAGES[str(refused)])
        except services.RoleChangeRefused as refused:
            db.session.rollback()
            form.roles.errors.append(services.ROLE_CHANGE_MESSAGES[str(refused)])
        else:
            db.session.commit()
            flash(
                _("Die Angaben zu %(name)s sind gespeichert.", name=person.name)
                if changed
                else _("Es gab nichts zu ändern."),
                "success",
            )
            return redirect(url_for("people.show", person_id=person.id))
    return render_template(
        "people/show.html",
        person=person,
        form=form,
        kept=kept,
        role_labels=ROLE_LABELS,
        invited=person.password_hash is None,
    ), 400 if form.errors else 200


@bp.route("/<int:person_id>/einladen", methods=["POST"])
@roles_required(*STAFF_ADMINS)
def reinvite(person_id: int):
    """A new invitation link for someone who has not set a password yet."""
    person = db.get_or_404(Person, person_id)
    if not person.active or person.password_hash is not None:
        flash(_("Diese Person hat bereits ein Passwort oder ist deaktiviert."), "error")
        return redirect(url_for("people.show", person_id=person.id))
    by_mail = _mail_configured()
    link = services.send_invitation(
        person, current_app.config["INVITATION_VALID_HOURS"], by_mail=by_mail
    )
    db.session.commit()
    return render_template(
        "people/invited.html",
        person=person,
        link=None if by_mail else link,
        hours=current_app.config["INVITATION_VALID_HOURS"],
    )


STATUS_REFUSED = {
    "own_roles": _l("Sie können Ihr eigenes Konto nicht deaktivieren oder reaktivieren."),
    "not_allowed": _l("Personen deaktivieren und reaktivieren nur HR und die Administration."),
    "admin_only": _l(
        "Personen mit der Rolle „HR / Personalentwicklung“ oder „Administration“ deaktiviert und reaktiviert nur die Administration."
    ),
    "anonymised": _l("Eine anonymisierte Person lässt sich nicht reaktivieren."),
}


@bp.route("/<int:person_id>/deaktivieren", methods=["GET", "POST"])
@roles_required(*STAFF_ADMINS)
def deactivate(person_id: int):
    """Deactivate a leaver after a confirmation; anonymising is a separate, later step."""
    person = db.get_or_404(Person, person_id)
    me = current_user._get_current_object()
    error = None
    if request.method == "POST":
        if request.form.get("confirmed") != "ja":
            error = _("Bitte bestätigen Sie die Deaktivierung.")
        else:
            try:
                services.deactivate(person, me)
            except services.StatusRefused as refused:
                db.session.rollback()
                error = STATUS_REFUSED[str(refused)]
            else:
                db.session.commit()
                flash(
                    _(
                        "%(name)s wurde deaktiviert und kann sich nicht mehr anmelden.",
                        name=person.name,
                    ),
                    "success",
                )
                return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/deactivate.html", person=person, error=error), (
        400 if error else 200
    )


@bp.route("/<int:person_id>/reaktivieren", methods=["POST"])
@roles_required(*STAFF_ADMINS)
def reactivate(person_id: int):
    person = db.get_or_404(Person, person_id)
    try:
        services.reactivate(person, current_user._get_current_object())
    except services.StatusRefused as refused:
        db.session.rollback()
        flash(STATUS_REFUSED[str(refused)], "error")
    else:
        db.session.commit()
        flash(_("%(name)s ist wieder aktiv und kann sich anmelden.", name=person.name), "success")
    return redirect(url_for("people.show", person_id=person.id))


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
