"""The final exam: overview and start, the exam page with its server-side deadline, the hand-in
and the result with explanations (only for the person themself)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from flask_login import current_user

from lernpfad.certification.exam import services
from lernpfad.certification.services import is_candidate
from lernpfad.db import utcnow
from lernpfad.extensions import db

bp = Blueprint("exam", __name__, url_prefix="/zertifizierung/pruefung", template_folder="templates")


def _me():
    return current_user._get_current_object()


def _not_eligible():
    return render_template("exam/not_eligible.html"), 403


def _own_or_404(attempt_id: int):
    attempt = services.attempt_of(_me(), attempt_id)
    if attempt is None:  # someone else's attempt: not even its existence is shown
        abort(404)
    return attempt


def _refusal_message(refused: services.ExamRefused) -> str:
    if refused.reason == "cooldown":
        return _(
            "Die Versuche dieser Runde sind aufgebraucht. Ein neuer Versuch ist ab %(date)s, %(time)s Uhr möglich.",
            date=format_date(refused.until),
            time=format_time(refused.until, "short"),
        )
    if refused.reason == "passed":
        return _("Sie haben die Prüfung bereits bestanden.")
    return _("Die Prüfung ist noch nicht eingerichtet: Es gibt noch keinen Fragenpool.")


def _overview(refusal: str | None = None, status: int = 200):
    me = _me()
    now = utcnow()
    attempts = services.attempts_of(me)
    settings = services.exam_settings()
    return render_template(
        "exam/overview.html",
        settings=settings,
        status=services.exam_status(me, now, attempts, settings),
        attempts=[  # newest first, numbered from the first
            (number, a, services.attempt_state(a, now), services.score_of(a))
            for number, a in reversed(list(enumerate(attempts, 1)))
        ],
        open_attempt=next((a for a in attempts if services.is_open(a, now)), None),
        has_pool=services.has_pool(),
        refusal=refusal,
    ), status


@bp.route("/")
def index():
    """The rules of the exam, where the person stands, and the start (or resume) button."""
    if not is_candidate(_me()):
        return _not_eligible()
    return _overview()


@bp.route("/starten", methods=["POST"])
def start():
    if not is_candidate(_me()):
        return _not_eligible()
    try:
        attempt = services.start_attempt(_me(), utcnow())
    except services.ExamRefused as refused:
        db.session.rollback()
        if refused.reason == "not_eligible":
            return _not_eligible()
        return _overview(_refusal_message(refused), 429 if refused.reason == "cooldown" else 409)
    db.session.commit()
    return redirect(url_for("exam.take", attempt_id=attempt.id))


def _take(attempt, *, errors=(), chosen=None, status=200):
    now = utcnow()
    return render_template(
        "exam/take.html",
        attempt=attempt,
        questions=services.shown_questions(attempt),
        remaining=max(int((attempt.deadline - now).total_seconds()), 0),
        errors=errors,
        field_errors={name: message for name, message in errors if name},
        chosen=chosen or {},
        time_up_field=services.TIME_UP_FIELD,
    ), status


@bp.route("/<int:attempt_id>")
def take(attempt_id: int):
    """The questions of an open attempt; a finished one goes to its result."""
    attempt = _own_or_404(attempt_id)
    if not services.takes_hand_in(attempt, utcnow()):
        return redirect(url_for("exam.result", attempt_id=attempt.id))
    return _take(attempt)


@bp.route("/<int:attempt_id>/abgeben", methods=["POST"])
def hand_in(attempt_id: int):
    attempt = _own_or_404(attempt_id)
    try:
        handed_in = services.hand_in(attempt, request.form, utcnow())
    except services.AnswersRefused as refused:
        db.session.rollback()
        chosen = {name: set(request.form.getlist(name)) for name in request.form}
        return _take(attempt, errors=refused.problems, chosen=chosen, status=400)
    db.session.commit()
    if not handed_in:
        flash(_("Dieser Versuch war bereits abgegeben; es zählt die erste Abgabe."), "info")
    return redirect(url_for("exam.result", attempt_id=attempt.id))


@bp.route("/<int:attempt_id>/ergebnis")
def result(attempt_id: int):
    """Score, pass or fail, and every question with the right answers, the person's answer and
    the explanation — once the attempt is over, and only for the person themself."""
    attempt = _own_or_404(attempt_id)
    now = utcnow()
    if not services.result_visible(attempt, now):
        return redirect(url_for("exam.take", attempt_id=attempt.id))
    return render_template(
        "exam/result.html",
        attempt=attempt,
        state=services.attempt_state(attempt, now),
        questions=services.review(attempt),
        score=services.score_of(attempt),
        settings=services.exam_settings(),
    )
