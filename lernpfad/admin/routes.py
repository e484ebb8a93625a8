"""Administrators' operations area: overview, mail outbox, content versions, settings, the
privacy mode."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from lernpfad.access import roles_required
from lernpfad.admin import rules, services
from lernpfad.admin.forms import MODE_LABELS, PrivacyModeForm
from lernpfad.assessments.services import competency_model
from lernpfad.auth.models import Role
from lernpfad.extensions import db
from lernpfad.forms import small_int
from lernpfad.privacy.mode import (
    AGGREGATE,
    INDIVIDUAL,
    ModeRefused,
    configured_mode,
    mode_state,
    switch_mode,
)

bp = Blueprint("admin", __name__, url_prefix="/betrieb", template_folder="templates")

MAIL_PROBLEM_MESSAGES = {
    "no_server": _l(
        "Es ist kein Mail-Server eingetragen (LERNPFAD_MAIL_SERVER): Der Mail-Versand verschickt nichts, die Mails bleiben im Ausgang."
    ),
    "bad_port": _l("Der Port des Mail-Servers ist keine Zahl zwischen 1 und 65535."),
    "bad_sender": _l("Der Absender ist keine E-Mail-Adresse (LERNPFAD_MAIL_SENDER)."),
    "local_sender": _l(
        "Der Absender ist noch die Voreinstellung auf „localhost“; andere Mail-Server weisen solche Mails oft ab. Tragen Sie eine Adresse Ihres Unternehmens ein (LERNPFAD_MAIL_SENDER)."
    ),
}


def _mail_problems() -> list:
    config = current_app.config
    problems = rules.mail_problems(
        config.get("MAIL_SERVER"), config.get("MAIL_PORT"), config.get("MAIL_SENDER")
    )
    return [MAIL_PROBLEM_MESSAGES[key] for key in problems]


@bp.route("/")
@roles_required(Role.ADMIN)
def index():
    return render_template(
        "admin/index.html", overview=services.overview(), mail_problems=_mail_problems()
    )


FILTER_LABELS = {
    "offen": _l("offen (wartend und fehlgeschlagen)"),
    "wartend": _l("wartend"),
    "fehlgeschlagen": _l("fehlgeschlagen"),
    "versendet": _l("versendet"),
}


@bp.route("/mails")
@roles_required(Role.ADMIN)
def mails():
    status = rules.outbox_filter(request.args.get("status"))
    page = services.outbox_page(
        rules.OUTBOX_FILTERS[status], small_int(request.args.get("seite"), digits=6) or 1
    )
    return render_template(
        "admin/mails.html",
        outbox=page,
        status=status,
        filter_labels=FILTER_LABELS,
        counts=services.mail_counts(),
        mail_problems=_mail_problems(),
        mail_server=current_app.config.get("MAIL_SERVER"),
        mail_port=current_app.config.get("MAIL_PORT"),
        mail_sender=current_app.config.get("MAIL_SENDER"),
    )


def _back_to_mails():
    """Back to the outbox list the form was sent from (filter and page checked again)."""
    status = rules.outbox_filter(request.form.get("status"))
    page = small_int(request.form.get("seite"), digits=6)
    return redirect(url_for("admin.mails", status=status, seite=page if page else None))


RETRY_MESSAGES = {
    "reset": (
        _l(
            "Die Mail wird beim nächsten Lauf des Mail-Versands erneut versucht (in der Regel innerhalb einer Minute)."
        ),
        "success",
    ),
    "sent": (_l("Diese Mail ist bereits versendet."), "info"),
    "due": (
        _l("Diese Mail ist bereits fällig und wird beim nächsten Lauf des Mail-Versands versucht."),
        "info",
    ),
    "soon": (
        _l(
            "Diese Mail wird gerade versendet oder ohnehin in den nächsten Minuten erneut versucht."
        ),
        "info",
    ),
}


@bp.route("/mails/<int:mail_id>/erneut", methods=["POST"])
@roles_required(Role.ADMIN)
def retry_mail(mail_id: int):
    """Move one mail's next attempt to now; the mail job sends it, never this request."""
    outcome = services.retry_mail(mail_id, actor=current_user._get_current_object())
    if outcome is None:
        flash(_("Diese Mail gibt es nicht mehr."), "error")
        return _back_to_mails()
    db.session.commit()
    message, category = RETRY_MESSAGES[outcome]
    flash(message, category)
    return _back_to_mails()


@bp.route("/mails/erneut", methods=["POST"])
@roles_required(Role.ADMIN)
def retry_failed():
    """Move the next attempt of every failed mail to now."""
    moved = services.retry_failed(actor=current_user._get_current_object())
    db.session.commit()
    if moved:
        flash(
            ngettext(
                "Eine fehlgeschlagene Mail wird beim nächsten Lauf des Mail-Versands erneut versucht.",
                "%(num)d fehlgeschlagene Mails werden beim nächsten Lauf des Mail-Versands erneut versucht.",
                moved,
            ),
            "success",
        )
    else:
        flash(
            _(
                "Keine fehlgeschlagene Mail wartet auf einen späteren Versuch; fällige Mails nimmt der nächste Lauf ohnehin mit."
            ),
            "info",
        )
    return _back_to_mails()


DOCUMENT_KINDS = {
    "competencies": _l("Kompetenzmodell"),
    "assessment": _l("Selbsteinschätzung"),
    "path": _l("Lernpfad"),
    "exam_pool": _l("Prüfungsfragen"),
    "readability": _l("Lesbarkeit"),
}


@bp.route("/inhalte")
@roles_required(Role.ADMIN)
def content():
    model = competency_model() or {}
    dimensions = {d["key"]: d["label"] for d in model.get("dimensions", [])}
    level_names = {int(k): v for k, v in (model.get("level_names") or {}).items()}
    return render_template(
        "admin/content.html",
        versions=services.content_versions(list(dimensions)),
        readability=services.readability_rows(),
        role_labels={r["key"]: r["label"] for r in model.get("roles", [])},
        dimensions=dimensions,
        level_names=level_names,
        document_kinds=DOCUMENT_KINDS,
        imports_shown=services.IMPORTS_SHOWN,
    )


SETTING_GROUP_LABELS = {
    "address": _l("Adresse und Betrieb"),
    "login": _l("Anmeldung und Sitzungen"),
    "learning": _l("Lernen"),
    "privacy": _l("Berichte und Datenschutz"),
    "mail": _l("Mail"),
    "database": _l("Datenbank"),
}
SETTING_EXPLANATIONS = {
    "BASE_URL": _l(
        "Öffentliche Adresse. Alle Links in Mails, PDFs und Zertifikaten werden daraus gebaut; Anfragen an andere Hostnamen werden abgewiesen."
    ),
    "ALLOWED_HOSTS": _l(
        "Alle Hostnamen, unter denen Lernpfad antwortet: der aus BASE_URL, die in LERNPFAD_ALLOWED_HOSTS eingetragenen und bei einer lokalen Adresse auch 127.0.0.1 und localhost."
    ),
    "PROXY_FIX": _l(
        "Lernpfad läuft hinter einem Reverse Proxy und vertraut dessen X-Forwarded-Kopfzeilen."
    ),
    "SESSION_COOKIE_SECURE": _l(
        "Das Sitzungs-Cookie wird immer als „Secure“ gesetzt (bei HTTPS-Anfragen ohnehin)."
    ),
    "COMPANY_NAME": _l("Name des Unternehmens; Passwörter, die daraus bestehen, werden abgelehnt."),
    "SESSION_IDLE_MINUTES": _l("Minuten ohne Aktivität, nach denen eine Sitzung endet."),
    "SESSION_ABSOLUTE_HOURS": _l("Stunden, nach denen jede Sitzung endet."),
    "LOGIN_FREE_FAILURES": _l(
        "Fehlgeschlagene Anmeldungen je Konto und Gerät, bevor eine Wartezeit beginnt."
    ),
    "LOGIN_DELAY_BASE_SECONDS": _l(
        "Erste Wartezeit in Sekunden; sie verdoppelt sich mit jedem weiteren Fehlversuch."
    ),
    "LOGIN_DELAY_MAX_SECONDS": _l("Längste Wartezeit in Sekunden."),
    "LOGIN_ACCOUNT_CEILING": _l(
        "Fehlversuche je Konto von unbekannten Geräten zusammen, nach denen alle diese Geräte warten."
    ),
    "LOGIN_FAILURE_WINDOW_MINUTES": _l("Zeitraum in Minuten, in dem Fehlversuche gezählt werden."),
    "RESET_LIMIT_PER_ADDRESS": _l("Anfragen „Passwort vergessen“ je E-Mail-Adresse im Zeitraum."),
    "RESET_LIMIT_PER_CLIENT": _l(
        "Anfragen „Passwort vergessen“ je Gerät (IP-Adresse) im Zeitraum."
    ),
    "RESET_LIMIT_WINDOW_MINUTES": _l(
        "Zeitraum in Minuten für die Grenzen bei „Passwort vergessen“."
    ),
    "RESET_VALID_HOURS": _l("Stunden, die ein Link zum Zurücksetzen des Passworts gilt."),
    "INVITATION_VALID_HOURS": _l("Stunden, die ein Einladungslink gilt."),
    "PASSWORD_MIN_LENGTH": _l("Mindestlänge eines Passworts in Zeichen."),
    "QUIZ_PASS_PERCENT": _l(
        "Anteil richtiger Antworten in Prozent, mit dem ein Quiz bestanden ist."
    ),
    "QUIZ_FAILED_ATTEMPTS_BEFORE_PAUSE": _l(
        "Nicht bestandene Quiz-Versuche in Folge, nach denen eine Pause folgt."
    ),
    "QUIZ_PAUSE_MINUTES": _l("Länge dieser Pause in Minuten."),
    "REASSESSMENT_INTERVAL_DAYS": _l(
        "Tage, nach denen die Selbsteinschätzung wiederholt werden kann."
    ),
    "MENTORING_QUEUE_LENGTH": _l(
        "Abgaben, die ein KI-Champion auf einmal zur Prüfung angezeigt bekommt."
    ),
    "CONTENT_DIR": _l("Ordner mit dem Lehrplan, aus dem „content sync“ importiert."),
    "PRIVACY_MIN_GROUP": _l(
        "Kleinste Gruppe, für die Berichte Kompetenzzahlen zeigen; Zahlen ändern sich erst, wenn sich so viele Ergebnisse geändert haben."
    ),
    "MAIL_SERVER": _l("SMTP-Server, an den der Mail-Versand die Mails übergibt."),
    "MAIL_PORT": _l("Port des SMTP-Servers."),
    "MAIL_SENDER": _l("Absender der Mails."),
    "MAIL_USE_TLS": _l("Verbindung zum SMTP-Server von Anfang an verschlüsselt (meist Port 465)."),
    "MAIL_USE_STARTTLS": _l(
        "Verbindung zum SMTP-Server mit STARTTLS verschlüsseln (meist Port 587)."
    ),
    "MAIL_USERNAME": _l(
        "Benutzername am SMTP-Server, falls er eine Anmeldung verlangt; das Passwort wird nie angezeigt."
    ),
    "RETENTION_ANSWERS_MONTHS": _l(
        "Monate, nach denen Antworten der Selbsteinschätzung und der Quizze geleert werden; die Stufen bleiben."
    ),
    "RETENTION_SENT_MAIL_DAYS": _l(
        "Tage, nach denen versendete Mails gelöscht werden (sie können Einmal-Links enthalten)."
    ),
    "RETENTION_READ_NOTICES_DAYS": _l("Tage, nach denen gelesene Mitteilungen gelöscht werden."),
    "DATABASE": _l(
        "Art der Datenbank. Die Verbindungsadresse wird hier nicht gezeigt, weil sie ein Passwort enthalten kann."
    ),
}
DATABASE_KIND_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "other": _l("andere")}


@bp.route("/einstellungen")
@roles_required(Role.ADMIN)
def settings():
    """The running configuration, read-only; never the secret key or a password."""
    return render_template(
        "admin/settings.html",
        groups=rules.shown_settings(current_app.config),
        group_labels=SETTING_GROUP_LABELS,
        explanations=SETTING_EXPLANATIONS,
        database_kinds=DATABASE_KIND_LABELS,
    )


@bp.route("/zeitplan")
@roles_required(Role.ADMIN)
def jobs():
    """The scheduled jobs: schedule, next and last run, outcome and counts."""
    from lernpfad.jobs.services import OUTCOME_LABELS

    return render_template(
        "admin/jobs.html",
        rows=services.job_rows(),
        runs=services.recent_runs(),
        outcome_labels=OUTCOME_LABELS,
    )


@bp.route("/zeitplan/<job_id>/ausfuehren", methods=["POST"])
@roles_required(Role.ADMIN)
def run_job_now(job_id: str):
    """Ask the scheduler to run a job now; this request does not run it."""
    from lernpfad.jobs.services import jobs as known_jobs
    from lernpfad.jobs.services import request_run

    if job_id not in known_jobs():
        flash(_("Diese Aufgabe gibt es nicht."), "error")
        return redirect(url_for("admin.jobs"))
    request_run(job_id, current_user._get_current_object())
    db.session.commit()
    flash(
        _(
            "Angefordert: Der Zeitplan führt die Aufgabe innerhalb einer Minute aus. Was sie schon in diesem Zeitraum erledigt hat, tut sie nicht doppelt."
        ),
        "success",
    )
    return redirect(url_for("admin.jobs"))


MODE_REFUSALS = {
    "unknown": _l("Diesen Datenschutzmodus gibt es nicht."),
    "no_reason": _l("Bitte geben Sie eine Begründung an."),
    "unchanged": _l("Dieser Datenschutzmodus gilt bereits; es wurde nichts geändert."),
}


@bp.route("/datenschutzmodus", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def privacy_mode():
    """The privacy mode in force and the switch between aggregate and individual levels for HR;
    a switch needs a reason and goes to the audit log."""
    form = PrivacyModeForm()
    state = mode_state()
    if not form.is_submitted():
        form.mode.data = INDIVIDUAL if state.mode == AGGREGATE else AGGREGATE
    if form.validate_on_submit():
        try:
            switch_mode(
                form.mode.data,
                actor=current_user._get_current_object(),
                reason=form.reason.data,
            )
        except ModeRefused as refused:
            db.session.rollback()
            form.mode.errors = [*form.mode.errors, MODE_REFUSALS[str(refused)]]
        else:
            db.session.commit()
            flash(
                _(
                    "Der Datenschutzmodus ist jetzt „%(mode)s“. Die Umstellung steht mit Ihrer Begründung im Audit-Protokoll.",
                    mode=MODE_LABELS[form.mode.data],
                ),
                "success",
            )
            return redirect(url_for("admin.privacy_mode"))
    return render_template(
        "admin/privacy_mode.html",
        form=form,
        state=state,
        mode_labels=MODE_LABELS,
        min_group=current_app.config["PRIVACY_MIN_GROUP"],
        configured=configured_mode(),
    ), 400 if form.errors else 200
