"""The module page: content, quiz, practical task and state; assigning modules with due dates."""

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields import SelectChoice

from lernpfad.access import roles_required
from lernpfad.auth.models import Role
from lernpfad.content.cache import module_content
from lernpfad.content.services import current_modules
from lernpfad.db import local_today
from lernpfad.extensions import db
from lernpfad.modules import assignments, services
from lernpfad.modules.forms import AssignForm, WithdrawForm
from lernpfad.paths import services as paths
from lernpfad.toolbox.services import fitting_tools

bp = Blueprint("modules", __name__, url_prefix="/module", template_folder="templates")


def _me():
    return current_user._get_current_object()


def _render(
    version, *, quiz_errors=(), task_errors=(), task_text=None, task_values=None, status=200
):
    me = _me()
    progress = services.progress_map(me)
    latest = paths.latest_result(me)
    _role, _path, steps = paths.path_for(me, latest.levels if latest else None, progress)
    ids = [s.module_id for s in steps]
    position = (ids.index(version.module_id) + 1, len(ids)) if version.module_id in ids else None
    following = (
        next((s for s in steps[ids.index(version.module_id) + 1 :] if s.module), None)
        if position
        else None
    )
    state = services.module_state(
        me, version.module_id, progress.get(version.module_id), **_quiz_limits()
    )
    if task_text is None:  # not a re-shown hand-in: a returned one is the start of the next
        task_text = state.text_to_revise
    last_attempt = state.last_attempt
    use_cases = services.department_use_cases(me) if state.task_open else []
    return render_template(
        "modules/show.html",
        version=version,
        content=module_content(version),
        progress=state.progress,
        position=position,
        following=following,
        last_attempt=last_attempt,
        paused_until=state.paused_until,
        chosen={int(k): v for k, v in (last_attempt.answers if last_attempt else {}).items()},
        submissions=state.submissions,
        due=state.due,
        task_open=state.task_open,
        use_cases=use_cases,
        # The KI-Toolbox's usable tools for the department's use cases and those handed in with.
        fitting_tools=fitting_tools(
            [u.id for u in use_cases] + [s.use_case_id for s in state.submissions]
        ),
        quiz_errors=quiz_errors,
        quiz_field_errors={name: message for name, message in quiz_errors if name},
        task_errors=task_errors,
        task_field_errors={name: message for name, message in task_errors if name},
        task_text=task_text,
        task_values=task_values or {},
        pass_percent=current_app.config["QUIZ_PASS_PERCENT"],
        quiz_limit=current_app.config["QUIZ_FAILED_ATTEMPTS_BEFORE_PAUSE"],
        quiz_pause_minutes=current_app.config["QUIZ_PAUSE_MINUTES"],
        max_chars=current_app.config["SUBMISSION_MAX_CHARS"],
        test_out=any(s.module_id == version.module_id and s.state == "mastered" for s in steps),
    ), status


def _quiz_limits() -> dict:
    config = current_app.config
    return {
        "limit": config["QUIZ_FAILED_ATTEMPTS_BEFORE_PAUSE"],
        "pause": timedelta(minutes=config["QUIZ_PAUSE_MINUTES"]),
    }


def _version_or_404(module_id: str, *, facts_only: bool = False):
    version = services.current_version(module_id, facts_only=facts_only)
    if version is None:
        abort(404)
    return version


@bp.route("/zuweisen", methods=["GET", "POST"])
@roles_required(Role.DEPARTMENT_HEAD)
def assign():
    """Department heads assign a module with a due date to people of their department."""
    me = _me()
    form = AssignForm()
    modules = sorted(current_modules().values(), key=lambda v: (v.dimension, v.level, v.title))
    form.module_id.choices = [SelectChoice(v.module_id, v.title) for v in modules]
    form.people.choices = [SelectChoice(p.id, p.name) for p in assignments.assignable_people(me)]
    if form.validate_on_submit():
        try:
            count = assignments.assign_module(
                me, form.people.data, form.module_id.data, form.due_on.data, local_today()
            )
        except assignments.AssignmentRefused as refused:
            db.session.rollback()
            form[refused.field].errors.append(str(refused))
        else:
            db.session.commit()
            flash(
                ngettext(
                    "Modul %(num)d Person zugewiesen.", "Modul %(num)d Personen zugewiesen.", count
                ),
                "success",
            )
            return redirect(url_for("modules.assignments"))
    return render_template("modules/assign.html", form=form), 400 if form.errors else 200


@bp.route("/zuweisungen", endpoint="assignments")
@roles_required(Role.DEPARTMENT_HEAD)
def overview():
    """The department's assignments: per module and due date who is done, open or overdue."""
    return render_template(
        "modules/assignments.html",
        groups=assignments.department_assignments(_me(), local_today()),
        statuses=assignments.ASSIGNMENT_STATUSES,
    )


def _assignment_gone():
    flash(_("Diese Zuweisung gibt es nicht mehr."), "info")
    return redirect(url_for("modules.assignments"))


@bp.route("/zuweisungen/<int:assignment_id>/zuruecknehmen", methods=["GET", "POST"])
@roles_required(Role.DEPARTMENT_HEAD)
def withdraw(assignment_id: int):
    """Withdraw one person's assignment, after a confirmation."""
    assignment = assignments.department_assignment(_me(), assignment_id)
    if assignment is None:  # also another department's: not even its existence is shown
        return _assignment_gone()
    version = services.current_version(assignment.module_id)
    return _withdraw(
        [assignment.id],
        title=version.title if version else assignment.module_id,
        due_on=assignment.due_on,
        names=[assignment.person.name],
    )


@bp.route("/zuweisungen/<module_id>/<due_on>/zuruecknehmen", methods=["GET", "POST"])
@roles_required(Role.DEPARTMENT_HEAD)
def withdraw_all(module_id: str, due_on: str):
    """Withdraw a module's assignment with this due date from everyone in the department."""
    try:
        due = date.fromisoformat(due_on)
    except ValueError:
        return _assignment_gone()
    groups = assignments.department_assignments(
        _me(), local_today(), module_id=module_id, due_on=due
    )
    if not groups:
        return _assignment_gone()
    people = [person for names in groups[0].people.values() for person in names]
    return _withdraw(
        [person.assignment_id for person in people],
        title=groups[0].title,
        due_on=due,
        names=sorted(person.name for person in people),
    )


def _withdraw(assignment_ids: list[int], *, title: str, due_on: date, names: list[str]):
    form = WithdrawForm()
    if form.validate_on_submit():
        count = assignments.withdraw_assignments(_me(), assignment_ids)
        db.session.commit()
        flash(
            ngettext(
                "Zuweisung für %(num)d Person zurückgenommen.",
                "Zuweisung für %(num)d Personen zurückgenommen.",
                count,
            ),
            "success",
        )
        return redirect(url_for("modules.assignments"))
    return render_template(
        "modules/withdraw.html", form=form, title=title, due_on=due_on, names=names
    ), 400 if form.errors else 200


@bp.route("/<module_id>")
def show(module_id: str):
    return _render(_version_or_404(module_id, facts_only=True))


@bp.route("/<module_id>/quiz", methods=["POST"])
def quiz(module_id: str):
    version = _version_or_404(module_id)
    answers, errors = services.parse_quiz(version.quiz, request.form)
    if errors:
        return _render(version, quiz_errors=errors, status=400)
    try:
        score = services.record_quiz(
            _me(), version, answers, current_app.config["QUIZ_PASS_PERCENT"], **_quiz_limits()
        )
    except services.QuizPaused:
        db.session.rollback()
        return _render(version, status=429)  # the page says until when
    db.session.commit()
    if score.passed:
        flash(
            _("Quiz bestanden: %(c)d von %(t)d richtig.", c=score.correct, t=score.total), "success"
        )
    else:
        flash(
            _(
                "%(c)d von %(t)d richtig – zum Bestehen brauchen Sie %(p)d %%. Sehen Sie sich die Erklärungen an und versuchen Sie es erneut.",
                c=score.correct,
                t=score.total,
                p=current_app.config["QUIZ_PASS_PERCENT"],
            ),
            "warning",
        )
    return redirect(url_for("modules.show", module_id=module_id, _anchor="quiz"))


@bp.route("/<module_id>/abgabe", methods=["POST"])
def submit(module_id: str):
    version = _version_or_404(module_id)
    text = request.form.get("text", "")
    try:
        services.submit_task(
            _me(),
            version,
            text=text,
            use_case_id=request.form.get("use_case_id", ""),
            confirmed=request.form.get("confirmed") == "ja",
            max_chars=current_app.config["SUBMISSION_MAX_CHARS"],
        )
        db.session.commit()
    except services.SubmissionRefused as refused:
        db.session.rollback()
        return _render(
            version,
            task_errors=refused.problems,
            task_text=text,
            task_values=request.form,
            status=400,
        )
    except IntegrityError:
        db.session.rollback()  # the same hand-in arrived twice at once: one is stored
        flash(_("Diese Aufgabe ist bereits eingereicht."), "info")
        return redirect(url_for("modules.show", module_id=module_id, _anchor="aufgabe"))
    if version.task["review"]:
        flash(_("Eingereicht. Ihr KI-Champion sieht sich Ihre Abgabe an."), "success")
    else:
        flash(_("Aufgabe bestätigt."), "success")
    return redirect(url_for("modules.show", module_id=module_id, _anchor="aufgabe"))
