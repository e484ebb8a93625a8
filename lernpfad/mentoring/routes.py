"""Champions: the review queue, reviews, the mentoring log and their office hours. Mentees:
confirming sessions. Everyone: the directory of champions. HR: who looks after which department
and which individual mentees."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields import SelectChoice

from lernpfad.access import roles_required
from lernpfad.auth.models import Department, Person, Role
from lernpfad.db import local_today
from lernpfad.extensions import db
from lernpfad.mentoring import services
from lernpfad.mentoring.forms import (
    AssignForm,
    MenteeForm,
    ProfileForm,
    ReviewForm,
    SessionForm,
)
from lernpfad.mentoring.models import ChampionDepartment, ChampionMentee, MentoringSession
from lernpfad.modules.models import Submission
from lernpfad.people.services import departments

bp = Blueprint("mentoring", __name__, url_prefix="/mentoring", template_folder="templates")
ASSIGNERS = (Role.HR, Role.ADMIN)


def _me():
    return current_user._get_current_object()


@bp.route("/")
@roles_required(Role.CHAMPION)
def index():
    me = _me()
    scope = services.departments_of(me)
    return render_template(
        "mentoring/index.html",
        pending=services.pending(me, current_app.config["MENTORING_QUEUE_LENGTH"]),
        waiting=services.pending_count(me),
        tally=services.tally_for(me),
        reviewed=services.reviewed_by(me),
        departments=sorted((db.session.get(Department, d) for d in scope), key=lambda d: d.name),
        mentees=services.individual_mentees(me),
        profile=services.profile_of(me),
    )


@bp.route("/champions")
def directory():
    """Every active KI-Champion by department, with e-mail, office hours and contact note."""
    return render_template(
        "mentoring/directory.html",
        directory=services.directory(),
        contacts=services.champion_contacts(_me()),
    )


@bp.route("/sprechzeiten", methods=["GET", "POST"])
@roles_required(Role.CHAMPION)
def profile():
    """The champion sets their office hours and a contact note for the directory."""
    me = _me()
    form = ProfileForm()
    if not form.is_submitted() and (saved := services.profile_of(me)) is not None:
        form.office_hours.data, form.contact.data = saved.office_hours, saved.contact
    error = None
    if form.validate_on_submit():
        try:
            services.save_profile(me, form.office_hours.data, form.contact.data)
        except services.ProfileRefused as refused:
            db.session.rollback()
            error = str(refused)
        else:
            db.session.commit()
            flash(_("Gespeichert. So steht es im Verzeichnis der KI-Champions."), "success")
            return redirect(url_for("mentoring.directory"))
    return render_template(
        "mentoring/profile.html", form=form, error=error
    ), 400 if error or form.errors else 200


@bp.route("/abgabe/<int:submission_id>", methods=["GET", "POST"])
@roles_required(Role.CHAMPION)
def review(submission_id: int):
    me = _me()
    submission = db.get_or_404(Submission, submission_id)
    if not services.can_review(me, submission):
        abort(404)  # not one of the champion's departments: not even its existence is shown
    form = ReviewForm()
    error = None
    if form.validate_on_submit():
        try:
            services.review(me, submission, request.form.get("decision", ""), form.feedback.data)
        except services.ReviewRefused as refused:
            db.session.rollback()
            error = str(refused)
        else:
            db.session.commit()  # the mail to the learner waits in the outbox for the mail job
            flash(
                _(
                    "Angenommen. %(name)s sieht Ihre Rückmeldung im Modul.",
                    name=submission.person.name,
                )
                if submission.status == "accepted"
                else _(
                    "Zurückgegeben. %(name)s kann die Aufgabe überarbeiten und erneut einreichen.",
                    name=submission.person.name,
                ),
                "success",
            )
            return redirect(url_for("mentoring.index"))
    return render_template(
        "mentoring/review.html", submission=submission, form=form, error=error
    ), 400 if error or form.errors else 200


def _choose() -> list[SelectChoice]:
    return [SelectChoice(0, _("— bitte wählen —"))]


def _champion_choices() -> list[SelectChoice]:
    return _choose() + [SelectChoice(p.id, p.name) for p in services.champions()]


def _department_form(champions: list[SelectChoice]) -> AssignForm:
    form = AssignForm()
    form.champion_id.choices = champions
    form.department_id.choices = _choose() + [SelectChoice(d.id, d.name) for d in departments()]
    return form


def _mentee_form(champions: list[SelectChoice]) -> MenteeForm:
    # Its own prefix: both forms on the page have a champion field, and ids must stay unique.
    form = MenteeForm(prefix="person")
    form.champion_id.choices = champions
    # Grouped by department (<optgroup>); static/js/select-filter.js adds a search box.
    form.mentee_id.choices = _choose() + [
        SelectChoice(
            p.id, p.name, optgroup=p.department.name if p.department else _("Ohne Abteilung")
        )
        for p in services.mentee_candidates()
    ]
    return form


def _assignments_page(form: AssignForm, mentee_form: MenteeForm):
    return render_template(
        "mentoring/assignments.html",
        form=form,
        mentee_form=mentee_form,
        rows=services.assignments(),
        mentees=[(row, services.in_effect(row)) for row in services.mentee_assignments()],
    ), 400 if form.errors or mentee_form.errors else 200


@bp.route("/zuordnung", methods=["GET", "POST"])
@roles_required(*ASSIGNERS)
def assignments():
    champions = _champion_choices()  # one query for both forms of the page
    form = _department_form(champions)
    if form.validate_on_submit():
        champion = db.session.get(Person, form.champion_id.data)
        department = db.session.get(Department, form.department_id.data)
        try:
            services.assign(champion, department)
        except services.AssignmentRefused as refused:
            db.session.rollback()
            form.champion_id.errors.append(str(refused))
        except IntegrityError:  # the same assignment sent twice at once
            db.session.rollback()
            form.champion_id.errors.append(services.already_assigned(champion, department))
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s betreut jetzt %(department)s.",
                    name=champion.name,
                    department=department.name,
                ),
                "success",
            )
            return redirect(url_for("mentoring.assignments"))
    return _assignments_page(form, _mentee_form(champions))


@bp.route("/zuordnung/person", methods=["POST"])
@roles_required(*ASSIGNERS)
def assign_mentee():
    """HR asks a champion to look after one person individually."""
    champions = _champion_choices()
    form = _mentee_form(champions)
    if form.validate_on_submit():
        champion = db.session.get(Person, form.champion_id.data)
        mentee = db.session.get(Person, form.mentee_id.data)
        try:
            services.assign_mentee(champion, mentee, _me())
        except services.AssignmentRefused as refused:
            db.session.rollback()
            form.mentee_id.errors.append(str(refused))
        except IntegrityError:  # sent twice at once, or another champion at the same moment
            db.session.rollback()
            form.mentee_id.errors.append(services.mentee_taken(champion, mentee))
        else:
            db.session.commit()
            flash(
                _(
                    "%(champion)s betreut jetzt %(name)s persönlich.",
                    champion=champion.name,
                    name=mentee.name,
                ),
                "success",
            )
            return redirect(url_for("mentoring.assignments"))
    return _assignments_page(_department_form(champions), form)


@bp.route("/zuordnung/person/<int:assignment_id>/entfernen", methods=["POST"])
@roles_required(*ASSIGNERS)
def unassign_mentee(assignment_id: int):
    row = db.get_or_404(ChampionMentee, assignment_id)
    champion, mentee = row.champion.name, row.mentee.name
    services.unassign_mentee(row, _me())
    db.session.commit()
    flash(
        _("%(champion)s betreut %(name)s nicht mehr persönlich.", champion=champion, name=mentee),
        "success",
    )
    return redirect(url_for("mentoring.assignments"))


@bp.route("/zuordnung/<int:assignment_id>/entfernen", methods=["POST"])
@roles_required(*ASSIGNERS)
def unassign(assignment_id: int):
    row = db.get_or_404(ChampionDepartment, assignment_id)
    name, department = row.champion.name, row.department.name
    db.session.delete(row)
    db.session.commit()
    flash(
        _("%(name)s betreut %(department)s nicht mehr.", name=name, department=department),
        "success",
    )
    return redirect(url_for("mentoring.assignments"))


@bp.route("/sitzungen", methods=["GET", "POST"])
@roles_required(Role.CHAMPION)
def sessions():
    me = _me()
    form = SessionForm()
    # Grouped by department (<optgroup>); static/js/select-filter.js adds a search box.
    form.mentee_id.choices = [SelectChoice(0, _("— bitte wählen —"))] + [
        SelectChoice(
            p.id, p.name, optgroup=p.department.name if p.department else _("Ohne Abteilung")
        )
        for p in services.mentees_for(me)
    ]
    if not form.is_submitted():
        form.held_on.data = local_today()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            services.log_session(
                me,
                db.session.get(Person, form.mentee_id.data),
                form.held_on.data,
                form.minutes.data,
                form.topic.data,
                local_today(),
            )
        except services.SessionRefused as refused:
            db.session.rollback()
            problems = refused.messages
        except IntegrityError:  # the same session sent twice at once: one is stored
            db.session.rollback()
            problems = [_("Diese Sitzung ist bereits eingetragen.")]
        else:
            db.session.commit()
            flash(
                _("Eingetragen. Die Sitzung zählt, sobald Ihr Gegenüber sie bestätigt."), "success"
            )
            return redirect(url_for("mentoring.sessions"))
    return render_template(
        "mentoring/sessions.html",
        form=form,
        problems=problems,
        sessions=services.sessions_of(me),
        tally=services.tally_for(me),
    ), 400 if problems or form.errors else 200


@bp.route("/meine-sitzungen")
def my_sessions():
    """The sessions champions logged with this person (as mentee), newest first."""
    return render_template("mentoring/mine.html", sessions=services.sessions_as_mentee(_me()))


@bp.route("/sitzung/<int:session_id>/antwort", methods=["POST"])
def answer(session_id: int):
    """The mentee confirms or declines a session a champion logged with them."""
    me = _me()
    session = db.get_or_404(MentoringSession, session_id)
    if session.mentee_id != me.id:
        abort(404)
    # Back to where the answer was given: the dashboard, or the list of one's own sessions.
    back = url_for(
        "mentoring.my_sessions"
        if request.form.get("zurueck") == "meine-sitzungen"
        else "core.dashboard"
    )
    decision = request.form.get("decision", "")
    if decision not in ("bestaetigen", "ablehnen"):
        flash(_("Bitte wählen Sie „Bestätigen“ oder „Stimmt nicht“."), "error")
        return redirect(back)
    try:
        services.answer(me, session, decision == "bestaetigen")
    except services.SessionRefused as refused:
        db.session.rollback()
        flash(refused.messages[0], "info")
    else:
        db.session.commit()
        flash(
            _("Danke – bestätigt.")
            if decision == "bestaetigen"
            else _("Vermerkt: Diese Sitzung hat so nicht stattgefunden."),
            "success",
        )
    return redirect(back)
