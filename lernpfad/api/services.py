"""What the API reads and writes, and its audit entries. Plain arguments in, no request;
services flush, the route commits. Tokens: lernpfad.api.tokens."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lernpfad.api.models import ApiToken
from lernpfad.audit.services import record_audit
from lernpfad.auth.models import Department, Person, Role
from lernpfad.auth.services import normalise_email
from lernpfad.certification.models import Certificate
from lernpfad.certification.rules import certificate_status
from lernpfad.content.models import ModuleVersion
from lernpfad.extensions import db
from lernpfad.modules.models import ModuleProgress
from lernpfad.modules.rules import COMPLETED
from lernpfad.people import rules as people_rules
from lernpfad.people import services as people_services
from lernpfad.records.services import VERSION_DIGITS

# The API acts with HR's rights in the staff rules: it never grants or removes the roles
# HR, administration, data protection or KI-Koordination (people.rules.PRIVILEGED), nor deactivates their holders.
API_ROLES = frozenset({Role.HR})
VIA = "api"

# Reads of personal data in the audit log, under the token's name (actor: none, via "api").


def audit_people_read(token: ApiToken, ids: list[int]) -> None:
    record_audit(
        actor=None,
        action="api.people_read",
        token=token.name,
        token_id=token.id,
        via=VIA,
        people=ids,
    )


def audit_person_read(token: ApiToken, person: Person) -> None:
    record_audit(
        actor=None,
        action="api.person_read",
        subject=person,
        token=token.name,
        token_id=token.id,
        via=VIA,
    )


def audit_record_read(token: ApiToken, person: Person) -> None:
    """Like opening the training record page (records.services.VIEWED), by the token."""
    record_audit(
        actor=None,
        action="training_record.viewed",
        subject=person,
        token=token.name,
        token_id=token.id,
        via=VIA,
        levels=False,
    )


def audit_records_read(token: ApiToken, kind: str, rows: list[dict]) -> None:
    record_audit(
        actor=None,
        action="api.records_read",
        token=token.name,
        token_id=token.id,
        via=VIA,
        kind=kind,
        people=sorted({row["person_id"] for row in rows}),
    )


# --- people ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    items: list
    last_id: int | None  # set when there may be more after this page


def _page(rows: list, limit: int, key) -> Page:
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, key(rows[-1]) if more and rows else None)


def people_page(*, after: int, limit: int, updated_since: datetime | None) -> Page:
    """People by id after ``after`` (changed since ``updated_since``), anonymised ones included
    as nameless records; one more row than asked tells whether a next page exists."""
    query = sa.select(Person).where(Person.id > after).order_by(Person.id).limit(limit + 1)
    if updated_since is not None:
        query = query.where(Person.updated_at >= updated_since)
    return _page(list(db.session.scalars(query)), limit, lambda p: p.id)


def person_values(person: Person) -> dict:
    return {
        "id": person.id,
        "name": person.name,
        "email": person.email,
        "department": (
            {"id": person.department.id, "name": person.department.name}
            if person.department
            else None
        ),
        "job_function": person.job_function or "",
        "roles": sorted(role.value for role in person.roles),
        "active": person.active,
        "anonymised": person.anonymised,
        "manager_id": person.manager_id,
        "created_at": person.created_at,
        "updated_at": person.updated_at,
    }


def departments() -> list[dict]:
    counts = dict(
        db.session.execute(
            sa.select(Person.department_id, sa.func.count())
            .where(Person.active, Person.department_id.is_not(None))
            .group_by(Person.department_id)
        ).all()
    )
    return [
        {
            "id": d.id,
            "name": d.name,
            "active_people": counts.get(d.id, 0),
            "created_at": d.created_at,
        }
        for d in people_services.departments()
    ]


class WriteRefused(ValueError):
    """``key`` says why ("exists", "inactive", "invalid"); ``line`` holds the checked line."""

    def __init__(self, key: str, line: people_rules.Line | None = None):
        super().__init__(key)
        self.key = key
        self.line = line


def _row(values: dict) -> dict:
    """An API body as a line of the staff import (people.rules.check reads the same row)."""
    row = {"_line": 1}
    for key in ("name", "email", "department", "job_function"):
        if key in values:
            row[key] = values[key]
    if "roles" in values:
        row["roles"] = ",".join(values["roles"])
    return row


def _plan(row: dict) -> people_rules.Line:
    email = normalise_email(row.get("email", ""))
    plan = people_rules.plan_import(
        [row],
        people_services.current_people([email]),
        actor_id=None,
        actor_roles=set(API_ROLES),
    )
    return plan.lines[0]


def line_errors(line: people_rules.Line) -> dict:
    """A checked line's problems by field, each as (German, English) message."""
    from flask_babel import force_locale

    from lernpfad.people.routes import LINE_MESSAGES

    fields = {
        "name_missing": "name",
        "email_missing": "email",
        "email_invalid": "email",
        "duplicate": "email",
        "role_unknown": "roles",
        "role_admin_only": "roles",
    }
    found: dict[str, list] = {}
    for key, detail in line.problems:
        field = fields.get(key) or detail or "_schema"
        texts = []
        for lang in ("de", "en"):
            with force_locale(lang):
                text = str(LINE_MESSAGES.get(key, key))
            texts.append(
                f"{text}: {detail}" if key in ("role_unknown", "role_admin_only") else text
            )
        found.setdefault(field, []).append(tuple(texts))
    return found


def create_person(values: dict, token: ApiToken) -> Person:
    """A new person, checked like a line of the staff import; raises WriteRefused."""
    line = _plan(_row(values))
    if not line.ok:
        raise WriteRefused("invalid", line)
    if line.exists:
        raise WriteRefused("exists", line)
    try:
        with db.session.begin_nested():
            people_services.import_people([line], invite_hours=None, actor=None, via=VIA)
    except (IntegrityError, people_services.PersonExists):  # made by a parallel call just now
        raise WriteRefused("exists", _plan(_row(values))) from None
    person = db.session.scalar(sa.select(Person).where(Person.email == line.email))
    record_audit(
        actor=None, action="api.person_written", subject=person, token=token.name, token_id=token.id
    )
    return person


def update_person(person: Person, values: dict, token: ApiToken) -> list[str]:
    """Change name, department, job function or roles, checked like a line of the staff import
    (fields left out stay); returns the changed fields. Raises WriteRefused."""
    if not person.active:
        raise WriteRefused("inactive")
    row = _row({"name": person.name, **values, "email": person.email})
    line = _plan(row)
    if not line.ok:
        raise WriteRefused("invalid", line)
    if line.person_id != person.id or line.inactive:
        raise WriteRefused("inactive")
    if line.status == people_rules.CHANGED:
        people_services.import_people([line], invite_hours=None, actor=None, via=VIA)
        record_audit(
            actor=None,
            action="api.person_written",
            subject=person,
            token=token.name,
            token_id=token.id,
            fields=[change.field for change in line.changes],
        )
        db.session.refresh(person)
    return [change.field for change in line.changes]


# --- training records -----------------------------------------------------------------------


def completions_page(*, after: int, limit: int, updated_since: datetime | None) -> Page:
    """Completed modules (who, which, when, on which content version) by id after ``after``."""
    query = (
        sa.select(
            ModuleProgress.id,
            ModuleProgress.person_id,
            ModuleProgress.module_id,
            ModuleVersion.title,
            ModuleProgress.completed_at,
            ModuleProgress.quiz_passed_at,
            ModuleVersion.content_hash,
            ModuleVersion.is_current,
        )
        .join(ModuleVersion, ModuleVersion.id == ModuleProgress.version_id)
        .where(ModuleProgress.state == COMPLETED, ModuleProgress.id > after)
        .order_by(ModuleProgress.id)
        .limit(limit + 1)
    )
    if updated_since is not None:
        query = query.where(ModuleProgress.completed_at >= updated_since)
    rows = [
        {
            "id": id_,
            "person_id": pid,
            "module_id": module_id,
            "title": title,
            "completed_at": completed_at,
            "quiz_passed_at": quiz_at,
            "content_version": content_hash[:VERSION_DIGITS],
            "content_version_current": bool(current),
        }
        for id_, pid, module_id, title, completed_at, quiz_at, content_hash, current in (
            db.session.execute(query)
        )
    ]
    return _page(rows, limit, lambda r: r["id"])


def certificates_page(
    *, after: int, limit: int, updated_since: datetime | None, now: datetime
) -> Page:
    """Certificates (issued, valid until, status now) by id after ``after``; ``updated_since``
    finds those issued or revoked since."""
    query = (
        sa.select(
            Certificate.id,
            Certificate.person_id,
            Certificate.title,
            Certificate.code,
            Certificate.issued_at,
            Certificate.valid_from,
            Certificate.valid_until,
            Certificate.revoked_at,
        )
        .where(Certificate.id > after)
        .order_by(Certificate.id)
        .limit(limit + 1)
    )
    if updated_since is not None:
        query = query.where(
            sa.or_(Certificate.issued_at >= updated_since, Certificate.revoked_at >= updated_since)
        )
    rows = [
        {
            "id": id_,
            "person_id": pid,
            "title": title,
            "code": code,
            "issued_at": issued_at,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "revoked_at": revoked_at,
            "status": certificate_status(revoked_at, valid_until, now),
        }
        for id_, pid, title, code, issued_at, valid_from, valid_until, revoked_at in (
            db.session.execute(query)
        )
    ]
    return _page(rows, limit, lambda r: r["id"])


# --- competence -----------------------------------------------------------------------------


def competence(dimensions: list[str], min_group: int, department_id: int | None) -> dict:
    """The report pages' figures (reports.services.report, company view) as plain values: a
    group under the privacy minimum, or hidden so that a smaller one cannot be worked out, has
    no competence figures — exactly as on the page. Writes publications (flushed)."""
    from lernpfad.reports import figures
    from lernpfad.reports.services import report

    found = report(dimensions, min_group, department_id, company_view=True)
    names = dict(figures.departments())
    sizes = figures.group_sizes()

    def status(name: str | None, figures_shown: bool) -> str:
        if figures_shown:
            return "shown"
        return "withheld" if name in found.withheld else "too_few"

    own_name = names.get(department_id) if department_id is not None else None
    shown = found.distribution is not None
    return {
        "department_id": department_id,
        "min_group": min_group,
        "dimensions": dimensions,
        "staff": found.staff,
        "assessed": found.assessed,
        "assessed_percent": found.assessed_percent,
        "completed_modules": found.completed_modules,
        "learners_with_completion": found.learners_with_completion,
        "status": status(own_name, shown),
        "competence": (
            {
                "n": found.published_n,
                "published_at": found.published_at,
                "distribution": found.distribution,
                "means": found.means,
            }
            if shown
            else None
        ),
        "departments": [
            {
                "id": dept_id,
                "name": name,
                "staff": sizes.get(dept_id, (0, 0, 0, 0))[0],
                "assessed": sizes.get(dept_id, (0, 0, 0, 0))[1],
                "status": status(name, found.matrix.get(name) is not None),
                "means": found.matrix.get(name),
            }
            for dept_id, name in names.items()
            if name in found.matrix
        ],
    }


def department_exists(department_id: int) -> bool:
    return db.session.get(Department, department_id) is not None
