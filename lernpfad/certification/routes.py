"""Certification: the candidate's checklist, project reports, the certifiers' overview and the
final approval, renewal and revocation."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields import SelectChoice

from lernpfad.access import roles_required
from lernpfad.auth.models import Person, Role
from lernpfad.certification import rules, services
from lernpfad.certification.forms import CertifierForm, ProjectForm, ReviewForm, RevokeForm
from lernpfad.certification.models import Certificate, Project
from lernpfad.extensions import db
from lernpfad.forms import small_int

bp = Blueprint("certification", __name__, url_prefix="/zertifizierung", template_folder="templates")

REFUSED = {
    "own": _l("Sich selbst oder das eigene Projekt zertifiziert niemand."),
    "not_certifier": _l(
        "Zertifizieren dürfen HR und zertifizierte KI-Champions, denen HR das Recht gegeben hat."
    ),
    "co_author": _l(
        "An diesem Anwendungsfall haben Sie selbst mitgewirkt; eine andere Person prüft das Projekt."
    ),
    "feedback_needed": _l(
        "Bitte schreiben Sie beim Zurückgeben, was fehlt (mindestens 10 Zeichen)."
    ),
    "project_reviewed": _l("Dieses Projekt ist bereits bewertet."),
    "use_case_not_theirs": _l(
        "Wählen Sie einen Anwendungsfall im Status Pilot oder im Einsatz, an dem Sie mitgewirkt haben."
    ),
    "use_case_done": _l("Zu diesem Anwendungsfall ist bereits ein Projekt von Ihnen anerkannt."),
    "project_not_returned": _l("Nur ein zurückgegebenes Projekt kann überarbeitet werden."),
    "not_ready": _l("Es sind noch nicht alle übrigen Anforderungen erfüllt."),
    "nothing_to_renew": _l("Es gibt kein Zertifikat, das verlängert werden könnte."),
    "renewal_not_ready": _l("Für die Verlängerung fehlt noch etwas (siehe Liste)."),
    "reason_needed": _l("Bitte geben Sie einen Grund an (mindestens 10 Zeichen)."),
    "not_hr": _l("Zertifikate widerruft nur HR."),
    "already_revoked": _l("Dieses Zertifikat ist bereits widerrufen."),
    "already_renewed": _l(
        "Dieses Zertifikat ist bereits verlängert; die Verlängerung gilt ab dem Ende des laufenden."
    ),
    "certifier_needs_certificate": _l(
        "Das Recht zu zertifizieren erhalten nur KI-Champions mit gültigem Zertifikat."
    ),
    "already_certifier": _l("Diese Person darf bereits zertifizieren."),
}
MISSING = {
    "path_not_chosen": _l("Sie gehen den Lernpfad für KI-Champions noch nicht."),
    "path_open": _l("Noch offen: %(missing)d Pflichtmodule des Lernpfads."),
    "exam_open": _l("Noch nicht bestanden. Verbleibende Versuche: %(attempts_left)d."),
    "exam_cooldown": _l(
        "Die Versuche dieser Runde sind verbraucht; der nächste ist ab %(next_at)s möglich."
    ),
    "projects_missing": _l(
        "Es fehlen %(missing)d anerkannte Projekte an verschiedenen Anwendungsfällen (zur Prüfung eingereicht: %(waiting)d)."
    ),
    "sessions_missing": _l(
        "Bestätigte Sitzungen: %(sessions)d von %(need_sessions)d (mit %(mentees)d von %(need_mentees)d verschiedenen Personen)."
    ),
    "mentees_missing": _l(
        "Die Sitzungen müssen mit mindestens %(need_mentees)d verschiedenen Personen stattfinden; bisher %(mentees)d."
    ),
    "approval_waiting": _l("Alles andere ist erfüllt: Eine zertifizierende Person gibt frei."),
    "approval_blocked": _l("Die Freigabe folgt, wenn alles andere erfüllt ist."),
}
RENEWAL_MISSING = {
    "refresher_missing": _l("Das Quiz dieser Auffrischungsmodule erneut bestehen: %(modules)s"),
    "recent_sessions_missing": _l(
        "Noch %(missing)d bestätigte Mentoring-Sitzungen in den letzten Monaten."
    ),
}
LABELS = {
    "path": _l("Lernpfad für KI-Champions abgeschlossen"),
    "exam": _l("Abschlussprüfung bestanden"),
    "projects": _l("Praxisprojekte an echten Anwendungsfällen"),
    "mentoring": _l("Mentoring-Sitzungen, von den Kolleginnen und Kollegen bestätigt"),
    "approval": _l("Freigabe durch eine zertifizierende Person"),
}
STATUS_LABELS = {"valid": _l("gültig"), "expired": _l("abgelaufen"), "revoked": _l("widerrufen")}
PROJECT_LABELS = {
    "submitted": _l("wartet auf Prüfung"),
    "approved": _l("anerkannt"),
    "returned": _l("zurückgegeben"),
}


def _me() -> Person:
    return current_user._get_current_object()


def _missing_text(check: rules.Check) -> str:
    from flask_babel import format_date

    params = dict(check.params)
    if "next_at" in params:
        params["next_at"] = format_date(params["next_at"])
    return str(MISSING[check.missing]) % params if check.missing else ""


def _renewal_texts(person: Person) -> list[str]:
    texts = []
    for key, params in services.renewal_problems(person):
        if key == "refresher_missing":
            from lernpfad.content.services import current_modules

            titles = current_modules()
            params = {
                "modules": ", ".join(
                    titles[m].title if m in titles else m for m in params["modules"]
                )
            }
        texts.append(str(RENEWAL_MISSING[key]) % params)
    return texts


def _checklist_context(person: Person) -> dict:
    checks = services.checklist(person)
    certificates = services.certificates_of(person.id)
    return {
        "person": person,
        "checks": checks,
        "labels": LABELS,
        "missing": {c.key: _missing_text(c) for c in checks},
        "certificates": [(c, services.status(c)) for c in certificates],
        "status_labels": STATUS_LABELS,
        "projects": list(
            db.session.scalars(
                db.select(Project).where(Project.person_id == person.id).order_by(Project.id.desc())
            )
        ),
        "project_labels": PROJECT_LABELS,
        "renewal": _renewal_texts(person) if certificates else None,
        "ready": rules.ready_for_approval(checks),
        "requirements": services.requirements(),
    }


@bp.route("/")
def mine():
    """The candidate's own checklist, projects and certificates."""
    me = _me()
    if not services.is_candidate(me) and not services.certificates_of(me.id):
        return render_template(
            "certification/not_candidate.html", may_certify=services.may_certify(me)
        )
    return render_template(
        "certification/mine.html", **_checklist_context(me), may_certify=services.may_certify(me)
    )


def _certifier_or_403() -> Person:
    me = _me()
    if not services.may_certify(me):
        abort(403)
    return me


@bp.route("/kandidaten")
@roles_required(Role.HR, Role.CHAMPION)
def candidates():
    """HR and certifiers: every candidate's checklist at a glance (status only)."""
    me = _certifier_or_403()
    rows = [(person, services.checklist(person)) for person in services.candidates()]
    form = CertifierForm()
    certified = [
        p
        for p, checks in rows
        if any(c.key == "approval" and c.done for c in checks) and p.id != me.id
    ]
    form.person_id.choices = [SelectChoice(p.id, p.name) for p in certified]
    return render_template(
        "certification/candidates.html",
        rows=rows,
        labels=LABELS,
        certifiers=services.certifiers(),
        form=form if me.has_role(Role.HR) else None,
        is_hr=me.has_role(Role.HR),
    )


@bp.route("/kandidaten/<int:person_id>")
@roles_required(Role.HR, Role.CHAMPION)
def candidate(person_id: int):
    me = _certifier_or_403()
    person = db.get_or_404(Person, person_id)
    if not services.is_candidate(person) and not services.certificates_of(person.id):
        abort(404)
    return _candidate_page(me, person, RevokeForm() if me.has_role(Role.HR) else None)


def _candidate_page(me: Person, person: Person, revoke_form, revoking: int | None = None):
    """HR's and certifiers' page of one candidate; ``revoking``: the certificate whose revoke
    form is shown open, with its errors next to the reason."""
    return render_template(
        "certification/candidate.html",
        **_checklist_context(person),
        refusal=services.certify_problem(me, person),
        refused=REFUSED,
        revoke_form=revoke_form,
        revoking=revoking,
    )


@bp.route("/kandidaten/<int:person_id>/freigeben", methods=["POST"])
@roles_required(Role.HR, Role.CHAMPION)
def approve(person_id: int):
    """The final approval: issues the certificate (or renews it)."""
    me = _certifier_or_403()
    person = db.get_or_404(Person, person_id)
    if not person.active:
        abort(404)  # nobody who has left is certified or renewed
    try:
        if request.form.get("action") == "verlaengern":
            services.renew(person, me)
            message = _("Das Zertifikat von %(name)s ist verlängert.", name=person.name)
        else:
            services.issue(person, me)
            message = _("%(name)s ist jetzt zertifizierte:r KI-Champion.", name=person.name)
    except services.CertificationRefused as refused:
        db.session.rollback()
        flash(REFUSED[str(refused)], "error")
        return redirect(url_for("certification.candidate", person_id=person.id))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("certification.candidate", person_id=person.id))


@bp.route("/zertifikate/<int:certificate_id>/widerrufen", methods=["POST"])
@roles_required(Role.HR)
def revoke(certificate_id: int):
    certificate = db.get_or_404(Certificate, certificate_id)
    form = RevokeForm()
    if not form.validate_on_submit():  # the page again, the message next to the reason
        return _candidate_page(_me(), certificate.person, form, certificate.id), 400
    try:
        services.revoke(certificate, _me(), form.reason.data)
    except services.CertificationRefused as refused:
        db.session.rollback()
        flash(REFUSED[str(refused)], "error")
    else:
        db.session.commit()
        flash(_("Das Zertifikat ist widerrufen."), "success")
    return redirect(url_for("certification.candidate", person_id=certificate.person_id))


@bp.route("/pruefende", methods=["POST"])
@roles_required(Role.HR)
def certifier():
    """HR gives a certified champion the right to certify others, or takes it back."""
    me = _me()
    # ASCII digits, at most nine: a longer number would overflow the database's integer.
    person = db.session.get(Person, small_int(request.form.get("person_id")) or 0)
    if person is None or not person.active:
        flash(_("Bitte wählen Sie eine Person."), "error")
        return redirect(url_for("certification.candidates"))
    try:
        if request.form.get("action") == "entziehen":
            services.remove_certifier_right(person, me)
            flash(_("%(name)s zertifiziert nicht mehr.", name=person.name), "success")
        else:
            services.grant_certifier_right(person, me)
            flash(_("%(name)s darf jetzt zertifizieren.", name=person.name), "success")
    except services.CertificationRefused as refused:
        db.session.rollback()
        flash(REFUSED[str(refused)], "error")
    else:
        db.session.commit()
    return redirect(url_for("certification.candidates"))


def _use_case_choices(form: ProjectForm, person: Person) -> None:
    form.use_case_id.choices = [SelectChoice(0, _("— bitte wählen —"))] + [
        SelectChoice(case.id, f"{case.title} ({case.department.name})")
        for case in services.project_use_cases(person)
    ]


@bp.route("/projekte/neu", methods=["GET", "POST"])
def project_new():
    me = _me()
    if not services.is_candidate(me):
        abort(403)
    form = ProjectForm()
    _use_case_choices(form, me)
    if form.validate_on_submit():
        try:
            project = services.submit_project(
                me, use_case_id=form.use_case_id.data, values=form.data
            )
        except services.CertificationRefused as refused:
            db.session.rollback()
            form.use_case_id.errors.append(REFUSED[str(refused)])
        else:
            db.session.commit()
            flash(
                _("Ihr Projekt ist eingereicht. Eine zertifizierende Person prüft es."), "success"
            )
            return redirect(url_for("certification.project", project_id=project.id))
    return render_template(
        "certification/project_form.html", form=form, project=None
    ), 400 if form.errors else 200


@bp.route("/projekte/<int:project_id>", methods=["GET", "POST"])
def project(project_id: int):
    """The author sees (and, once returned, revises) the report; certifiers review it."""
    me = _me()
    project = db.get_or_404(Project, project_id)
    own = project.person_id == me.id
    certifier = services.may_certify(me) and not own
    if not own and not certifier:
        abort(404)
    if own and project.status == "returned":
        form = ProjectForm(obj=None if request.method == "POST" else project)
        _use_case_choices(form, me)
        if request.method == "POST" and form.validate_on_submit():
            try:
                services.submit_project(
                    me, use_case_id=form.use_case_id.data, values=form.data, project=project
                )
            except services.CertificationRefused as refused:
                db.session.rollback()
                form.use_case_id.errors.append(REFUSED[str(refused)])
            else:
                db.session.commit()
                flash(_("Ihr überarbeitetes Projekt ist eingereicht."), "success")
                return redirect(url_for("certification.project", project_id=project.id))
        return render_template(
            "certification/project_form.html", form=form, project=project
        ), 400 if form.errors else 200
    review = ReviewForm() if certifier and project.status == "submitted" else None
    error = None
    if review is not None and request.method == "POST" and review.validate_on_submit():
        try:
            services.review_project(
                project,
                me,
                approve=request.form.get("decision") == "anerkennen",
                feedback=review.feedback.data or "",
            )
        except services.CertificationRefused as refused:
            db.session.rollback()
            error = REFUSED[str(refused)]
        else:
            db.session.commit()
            flash(_("Die Bewertung ist gespeichert."), "success")
            return redirect(url_for("certification.candidate", person_id=project.person_id))
    elif request.method == "POST" and review is None:
        error = REFUSED["project_reviewed"] if certifier else None
    return render_template(
        "certification/project.html",
        project=project,
        review=review,
        error=error,
        own=own,
        project_labels=PROJECT_LABELS,
        co_author=certifier and me.id in services.co_authors(project),
    ), 400 if error else 200


def exam_url() -> str | None:
    """The exam's start page, while the exam feature is part of the build."""
    for endpoint in ("exam.index", "exam.start"):
        if endpoint in current_app.view_functions:
            return url_for(endpoint)
    return None
