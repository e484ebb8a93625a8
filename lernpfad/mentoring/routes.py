"""Champions: the review queue, reviews and the mentoring log. Mentees: confirming sessions.
HR: who looks after which department."""

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
from lernpfad.mentoring.forms import AssignForm, ReviewForm, SessionForm
from lernpfad.mentoring.models import ChampionDepartment, MentoringSession
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
    )


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


@bp.route("/zuordnung", methods=["GET", "POST"])
@roles_required(*ASSIGNERS)
def assignments():
    form = AssignForm()
    form.champion_id.choices = [SelectChoice(0, _("— bitte wählen —"))] + [
        SelectChoice(p.id, p.name) for p in services.champions()
    ]
    form.department_id.choices = [SelectChoice(0, _("— bitte wählen —"))] + [
        SelectChoice(d.id, d.name) for d in departments()
    ]
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
    return render_template(
        "mentoring/assignments.html", form=form, rows=services.assignments()
    ), 400 if form.errors else 200


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
        SelectChoice(p.id, p.name, optgroup=p.department.name) for p in services.mentees_for(me)
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
