"""HR and administrators: the staff list, invitations, CSV import, deactivation."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from wtforms.fields import SelectChoice

from lernpfad.access import roles_required
from lernpfad.auth.models import Department, Person, Role
from lernpfad.auth.services import normalise_email
from lernpfad.extensions import db
from lernpfad.forms import small_int
from lernpfad.people import rules, services
from lernpfad.people.forms import (
    ROLE_LABELS,
    ImportConfirmForm,
    ImportForm,
    InviteForm,
    PersonForm,
)

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
    "refused": _l(
        "Die Änderungen wurden nicht gespeichert: Rollen oder Personen haben sich gerade geändert. Bitte prüfen Sie die Datei erneut."
    ),
    "too_large": _l(
        "Die Datei ist zu groß, um sie nach der Vorschau zu bestätigen. Bitte entfernen Sie Spalten, die Lernpfad nicht braucht."
    ),
}
CONFIRM_MESSAGES = {
    "invalid": _l(
        "Die Vorschau ist abgelaufen oder ungültig. Es wurde nichts gespeichert. Bitte laden Sie die Datei erneut hoch."
    ),
    "changed": _l(
        "Seit der Vorschau hat sich der Personalbestand geändert. Es wurde nichts gespeichert. Bitte prüfen Sie die neue Vorschau und bestätigen Sie erneut."
    ),
    "nothing_left": _l(
        "Es wurde nichts gespeichert: Die gespeicherten Angaben entsprechen bereits der Datei (wurde die Vorschau schon bestätigt?)."
    ),
    "deactivation_changed": _l(
        "Die Personen, die deaktiviert würden, sind nicht mehr dieselben wie in der Vorschau. Es wurde niemand deaktiviert und nichts gespeichert. Bitte prüfen Sie die neue Vorschau und bestätigen Sie erneut."
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
LINE_NOTES = {"own_roles": _l("Ihre eigenen Rollen bleiben unverändert.")}
CHANGE_LABELS = {
    "name": _l("Name"),
    "department": _l("Abteilung"),
    "job_function": _l("Funktion"),
    "roles": _l("Rollen"),
}
KEPT_REASONS = {  # why someone missing from the file stays active (role_change_problem keys)
    "own_roles": _l("Ihr eigenes Konto"),
    "admin_only": _l(
        "Personen mit der Rolle HR, Administration oder Datenschutz deaktiviert nur die Administration"
    ),
    "not_allowed": _l("Personen deaktivieren nur HR und die Administration"),
}
SHOWN_LINES = 500
_SHOWN_ORDER = {  # the preview shows what happens first
    rules.ERROR: 0,
    rules.CHANGED: 1,
    rules.NEW: 2,
    rules.INACTIVE: 3,
    rules.UNCHANGED: 4,
}
PREVIEW_MAX_AGE = 3600  # seconds a preview can be confirmed
PREVIEW_KEYS = {"actor", "text", "invite", "full_sync", "digest", "deactivate"}


def _previews() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="lernpfad-people-import")


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*STAFF_ADMINS)
def import_people():
    """Check a CSV of staff line by line and show what would happen. "Prüfen und importieren"
    creates new people at once; changes to existing people and a full sync's deactivations are
    stored only when a preview that shows them is confirmed. Nothing is stored while a line has
    an error."""
    me = current_user._get_current_object()
    if request.method == "POST" and request.form.get("action") == "bestaetigen":
        return _confirm(me)
    form = ImportForm()
    plan = file_error = result = preview = None
    if form.validate_on_submit():
        try:
            text = form.file.data.read().decode("utf-8")
            plan = _plan(text, me, full_sync=form.full_sync.data)
        except UnicodeDecodeError:
            file_error = IMPORT_FILE_MESSAGES["encoding"]
        except rules.ImportFileInvalid as invalid:
            file_error = IMPORT_FILE_MESSAGES[str(invalid)]
        else:
            direct = request.form.get("action") == "importieren" and not plan.needs_confirmation
            if plan.ok and direct:
                result, error = _import(plan, form.invite.data, me)
                file_error = error and IMPORT_FILE_MESSAGES[error]
            elif plan.ok and plan.stores_anything:
                preview = _sign(text, plan, me, invite=form.invite.data)
                if preview is None:
                    file_error = IMPORT_FILE_MESSAGES["too_large"]
    failed = bool(file_error or form.errors or (plan and not plan.ok))
    return _page(form, plan, result=result, preview=preview, file_error=file_error), (
        400 if failed else 200
    )


def _plan(text: str, me: Person, *, full_sync: bool) -> rules.Plan:
    """The import plan of a file's text against the stored people (everyone for a full sync,
    else those the file names). Raises rules.ImportFileInvalid."""
    rows = rules.parse(text)
    emails = None if full_sync else [normalise_email(row["email"]) for row in rows]
    return rules.plan_import(
        rows,
        services.current_people(emails),
        actor_id=me.id,
        actor_roles=me.roles,
        full_sync=full_sync,
    )


def _sign(text: str, plan: rules.Plan, me: Person, *, invite: bool) -> str | None:
    """The confirmation's hidden field: the file, the options and the plan's fingerprint, signed
    (a changed field is refused); None when it would be too large to post back."""
    preview = _previews().dumps(
        {
            "actor": me.id,
            "text": text,
            "invite": bool(invite),
            "full_sync": plan.full_sync,
            "digest": plan.digest(),
            "deactivate": sorted(p.id for p in plan.deactivate),
        }
    )
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    return None if limit and len(preview) > limit - 64 * 1024 else preview


def _confirm(me: Person):
    """Apply a previewed import: only when the file, computed again against the people as they
    are now, does exactly what the preview showed (the same changes, the same people
    deactivated); otherwise nothing is stored and the new preview is shown."""
    confirm = ImportConfirmForm()
    form = ImportForm(formdata=None)
    data = None
    if confirm.validate_on_submit():
        try:
            data = _previews().loads(confirm.preview.data, max_age=PREVIEW_MAX_AGE)
        except BadData:
            data = None
    if not isinstance(data, dict) or data.get("actor") != me.id or set(data) != PREVIEW_KEYS:
        return _page(form, None, messages=[CONFIRM_MESSAGES["invalid"]]), 400
    form.invite.data, form.full_sync.data = data["invite"], data["full_sync"]
    services.lock_importer(me)
    try:
        plan = _plan(data["text"], me, full_sync=data["full_sync"])
    except rules.ImportFileInvalid:  # the file was read for the preview: not expected
        return _page(form, None, messages=[CONFIRM_MESSAGES["invalid"]]), 400
    if plan.digest() != data["digest"]:
        moved = sorted(p.id for p in plan.deactivate) != data["deactivate"]
        preview = (
            _sign(data["text"], plan, me, invite=data["invite"])
            if plan.ok and plan.stores_anything
            else None
        )
        if not plan.stores_anything:
            message = CONFIRM_MESSAGES["nothing_left"]
        else:
            message = CONFIRM_MESSAGES["deactivation_changed" if moved else "changed"]
        return _page(form, plan, preview=preview, messages=[message]), 409
    result, error = _import(plan, data["invite"], me)
    if error:
        return _page(form, plan, messages=[IMPORT_FILE_MESSAGES[error]]), 409
    return _page(form, plan, result=result)


def _page(form, plan, *, result=None, preview=None, file_error=None, messages=()):
    shown = []
    if plan is not None:
        every = plan.ok  # else only the lines with errors
        shown = sorted(
            (line for line in plan.lines if every or not line.ok),
            key=lambda line: (_SHOWN_ORDER[line.status], line.number),
        )
    return render_template(
        "people/import.html",
        form=form,
        plan=plan,
        shown=shown[:SHOWN_LINES],
        hidden_lines=max(0, len(shown) - SHOWN_LINES),
        preview=preview,
        confirm=ImportConfirmForm(formdata=None, preview=preview) if preview else None,
        file_error=file_error,
        messages=list(messages),
        result=result,
        line_messages=LINE_MESSAGES,
        line_notes=LINE_NOTES,
        change_labels=CHANGE_LABELS,
        kept_reasons=KEPT_REASONS,
        role_labels=ROLE_LABELS,
    )


def _import(plan: rules.Plan, invite: bool, me: Person):
    """Store a checked plan and commit: (result, None), or (None, "race" | "refused") when a
    parallel change got in the way (nothing stored)."""
    try:
        result = services.import_people(
            plan.lines,
            invite_hours=current_app.config["INVITATION_VALID_HOURS"] if invite else None,
            actor=me,
            deactivate_ids=[p.id for p in plan.deactivate],
        )
        db.session.commit()  # invitations wait in the outbox for the mail job
    except (IntegrityError, services.PersonExists):
        db.session.rollback()
        return None, "race"
    except (services.RoleChangeRefused, services.StatusRefused):
        db.session.rollback()
        return None, "refused"
    return result, None


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
