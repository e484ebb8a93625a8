"""The main navigation as data: each entry names its endpoint and who sees it."""

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lernpfad.auth.models import Role

EVERYONE = None

# (endpoint, label, roles that see it; None = every logged-in person)
NAVIGATION = [
    ("core.dashboard", _l("Übersicht"), EVERYONE),
    ("assessments.start", _l("Selbsteinschätzung"), EVERYONE),
    ("paths.mine", _l("Mein Lernpfad"), EVERYONE),
    ("mentoring.index", _l("Mentoring"), {Role.CHAMPION}),
    ("certification.mine", _l("Zertifizierung"), {Role.CHAMPION}),
    (
        "usecases.index",
        _l("Anwendungsfälle"),
        {Role.DEPARTMENT_HEAD, Role.CHAMPION, Role.LEADERSHIP},
    ),
    ("reports.department", _l("Mein Bereich"), {Role.DEPARTMENT_HEAD}),
    ("modules.assignments", _l("Zuweisungen"), {Role.DEPARTMENT_HEAD}),
    ("reports.leadership", _l("Kennzahlen"), {Role.LEADERSHIP}),
    # HR's staff list before the reports: with the log and the documentation HR has more
    # entries than the bar holds, and the list is what HR opens most.
    ("people.index", _l("Personen"), {Role.HR, Role.ADMIN}),
    ("reports.hr", _l("Berichte"), {Role.HR}),
    ("certification.candidates", _l("Zertifizierung"), {Role.HR}),
    ("admin.index", _l("Betrieb"), {Role.ADMIN}),
    ("documentation.index", _l("Dokumentation"), {Role.DPO, Role.HR, Role.ADMIN}),
    ("audit.index", _l("Protokoll"), {Role.HR, Role.DPO}),
    # Last: every role has it, and it should not push a role's own entries out of the bar.
    ("toolbox.index", _l("KI-Toolbox"), EVERYONE),
]


def navigation_for(person) -> list[dict]:
    """The entries this person sees, limited to endpoints that exist in this build."""
    if not person.is_authenticated:
        return []
    endpoints = current_app.view_functions
    items = []
    for endpoint, label, roles in NAVIGATION:
        if endpoint not in endpoints:
            continue
        if roles is not EVERYONE and not person.has_role(*roles):
            continue
        blueprint = endpoint.split(".")[0]
        active = request.endpoint == endpoint or (
            blueprint not in {"core", "paths"} and (request.blueprint or "") == blueprint
        )
        items.append({"endpoint": endpoint, "label": label, "active": active})
    return items


def inject_navigation():
    return {"navigation": navigation_for(current_user)}


def module_url(module_id: str) -> str | None:
    """The module page's address, or None while the modules feature is not part of the build."""
    if "modules.show" not in current_app.view_functions:
        return None
    return url_for("modules.show", module_id=module_id)
