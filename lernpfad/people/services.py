"""Creating, inviting and deactivating people. Callers commit."""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lernpfad.auth.models import (
    ANONYMOUS_DOMAIN,
    Department,
    Person,
    PersonRole,
    Role,
    TokenPurpose,
)
from lernpfad.auth.services import issue_token, normalise_email
from lernpfad.extensions import db
from lernpfad.jobs.mail import queue_mail
from lernpfad.people import rules


class PersonExists(ValueError):
    pass


class RoleChangeRefused(ValueError):
    """The message key (see people.rules.role_change_problem) says why."""


ROLE_CHANGE_MESSAGES = {
    "own_roles": _l("Ihre eigenen Rollen kann nur eine andere berechtigte Person ändern."),
    "not_allowed": _l("Rollen vergeben nur HR und die Administration."),
    "admin_only": _l(
        "Die Rollen „HR / Personalentwicklung“ und „Administration“ vergibt und entzieht nur die Administration."
    ),
}


def set_roles(
    person: Person, roles: set[Role], *, actor: Person | None, via: str, flush: bool = True
) -> None:
    """Give ``person`` exactly ``roles`` (every person stays a learner); each grant and removal
    is audited with the way it came (form, import, cli, anonymisation, demo …). ``actor`` None is
    the command line. Raises RoleChangeRefused when the actor may not make this change.
    ``flush`` False: the caller flushes (many new people at once)."""
    from lernpfad.audit.services import record_audit

    before = person.roles
    after = set(roles) | {Role.LEARNER}
    problem = rules.role_change_problem(
        actor.roles if actor is not None else None,
        own=actor is not None and actor.id == person.id,
        before=before,
        after=after,
    )
    if problem:
        raise RoleChangeRefused(problem)
    for role in sorted(after - before):
        person.add_role(role)
        if role != Role.LEARNER:
            record_audit(actor=actor, action="role.granted", subject=person, role=role, via=via)
    for role in sorted(before - after):
        person.remove_role(role)
        record_audit(actor=actor, action="role.removed", subject=person, role=role, via=via)
    if flush:
        db.session.flush()


def create_person(
    *,
    name: str,
    email: str,
    department: Department | None = None,
    job_function: str = "",
    roles: set[Role] | frozenset[Role] = frozenset({Role.LEARNER}),
    manager: Person | None = None,
    actor: Person | None = None,
    via: str = "cli",
) -> Person:
    """Add a person (no password yet) with ``roles`` (see set_roles). Raises PersonExists for a
    taken e-mail address, RoleChangeRefused for roles the actor may not give."""
    email = normalise_email(email)
    if db.session.scalar(sa.select(Person.id).where(Person.email == email)) is not None:
        raise PersonExists(email)
    person = Person(
        name=name.strip(),
        email=email,
        department=department,
        job_function=job_function.strip(),
        manager=manager,
    )
    db.session.add(person)
    db.session.flush()
    set_roles(person, set(roles), actor=actor, via=via)
    return person


def invite(person: Person, valid_hours: int) -> str:
    """Issue the one-time invitation token with which the person sets a password."""
    return issue_token(person, TokenPurpose.INVITATION, timedelta(hours=valid_hours))


def send_invitation(person: Person, valid_hours: int, *, by_mail: bool) -> str:
    """A fresh invitation link (earlier ones die); with ``by_mail`` it goes to the person through
    the outbox. Returns the link, which HR passes on itself where no mail server is set up."""
    from lernpfad.core.links import external_url

    link = external_url("auth.set_password", token=invite(person, valid_hours))
    if by_mail:
        with force_locale(person.locale or "de"):
            queue_mail(
                to=person.email,
                subject=_("Einladung zu Lernpfad"),
                body=_(
                    "Guten Tag %(name)s,\n\nIhr Unternehmen nutzt Lernpfad, um KI-Kompetenz aufzubauen. Über diesen Link legen Sie Ihr Passwort fest (gültig für %(hours)d Stunden):\n%(link)s",
                    name=person.name,
                    hours=valid_hours,
                    link=link,
                ),
            )
    return link


class StatusRefused(ValueError):
    """The message key says why (people.rules.role_change_problem keys, or "anonymised")."""


def _check_may_manage(person: Person, actor: Person | None) -> None:
    problem = rules.role_change_problem(
        actor.roles if actor is not None else None,
        own=actor is not None and actor.id == person.id,
        before=person.roles,
        after=set(),
    )
    if problem:
        raise StatusRefused(problem)


def deactivate(person: Person, actor: Person | None = None) -> None:
    """A leaver can no longer log in; open sessions end at once. Audited; nobody deactivates
    themselves, and people with HR or admin roles only an administrator."""
    from lernpfad.audit.services import record_audit

    _check_may_manage(person, actor)
    person.active = False
    person.end_all_sessions()
    record_audit(actor=actor, action="person.deactivated", subject=person)
    db.session.flush()


def reactivate(person: Person, actor: Person | None) -> None:
    """Undo a deactivation (not an anonymisation). Audited; the same rules as deactivating."""
    from lernpfad.audit.services import record_audit

    if person.anonymised:
        raise StatusRefused("anonymised")
    _check_may_manage(person, actor)
    person.active = True
    record_audit(actor=actor, action="person.reactivated", subject=person)
    db.session.flush()


def manager_choices(person: Person) -> list[Person]:
    """Who can be set as the person's manager: active department heads and leadership, plus the
    current manager; never the person."""
    query = (
        sa.select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(
            Person.active,
            Person.id != person.id,
            PersonRole.role.in_([Role.DEPARTMENT_HEAD.value, Role.LEADERSHIP.value]),
        )
        .distinct()
        .order_by(Person.name)
    )
    found = list(db.session.scalars(query))
    if person.manager is not None and person.manager not in found:
        found.insert(0, person.manager)
    return found


class UpdateRefused(ValueError):
    """The message key says why ("email_taken", "manager_cycle")."""


def update_person(
    person: Person,
    *,
    name: str,
    email: str,
    department: Department | None,
    job_function: str,
    roles: set[Role],
    manager: Person | None,
    actor: Person,
) -> list[str]:
    """HR's edit of a person's record. Roles go through set_roles (rules, audit); the other
    changed fields are audited by name. Returns the changed fields. Raises UpdateRefused,
    RoleChangeRefused."""
    from lernpfad.audit.services import record_audit

    email = normalise_email(email)
    if email != person.email and db.session.scalar(
        sa.select(Person.id).where(Person.email == email)
    ):
        raise UpdateRefused("email_taken")
    if manager is not None and rules.manager_cycle(person.id, manager.id, _managers()):
        raise UpdateRefused("manager_cycle")
    changes = {
        "name": name.strip(),
        "email": email,
        "department_id": department.id if department else None,
        "job_function": job_function.strip(),
        "manager_id": manager.id if manager else None,
    }
    changed = [field for field, value in changes.items() if getattr(person, field) != value]
    roles_changed = set(roles) | {Role.LEARNER} != person.roles
    set_roles(person, roles, actor=actor, via="form")  # audited role by role
    for field in changed:
        setattr(person, field, changes[field])
    if "email" in changed:
        person.end_all_sessions()  # the login name changed: sign in again with the new one
    if changed:
        record_audit(actor=actor, action="person.updated", subject=person, fields=changed)
    db.session.flush()
    return changed + (["roles"] if roles_changed else [])


def _managers() -> dict[int, int | None]:
    return dict(
        db.session.execute(
            sa.select(Person.id, Person.manager_id).where(Person.manager_id.is_not(None))
        ).all()
    )


def departments() -> list[Department]:
    return list(db.session.scalars(sa.select(Department).order_by(Department.name)))


PAGE_SIZE = 50


@dataclass(frozen=True)
class StaffRow:
    """One line of the staff list: plain values, no ORM object (a page is read in one statement)."""

    id: int
    name: str
    email: str
    department_id: int | None
    job_function: str
    active: bool
    roles: list[str]  # role values, sorted

    @property
    def anonymised(self) -> bool:
        return self.email.endswith(ANONYMOUS_DOMAIN)


@dataclass(frozen=True)
class PeoplePage:
    people: list[StaffRow]
    total: int
    page: int
    pages: int


# A person's roles as one string ("hr,learner"), beside the person's columns.
_ROLES = (
    sa.select(sa.func.aggregate_strings(PersonRole.role, ","))
    .where(PersonRole.person_id == Person.id)
    .scalar_subquery()
)


def name_or_email_contains(text: str):
    """The condition "name or e-mail address contains ``text``", ignoring case, with ``%``
    and ``_`` taken literally (addresses are stored in lower case)."""
    pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return sa.or_(
        sa.func.lower(Person.name).like(pattern, escape="\\"),
        Person.email.like(pattern, escape="\\"),
    )


def people_overview(
    *, search: str = "", department_id: int | None = None, page: int = 1, per_page: int = PAGE_SIZE
) -> PeoplePage:
    """One page of the staff list, active people first, filtered by name or e-mail and department.
    A page beyond the last shows the last one."""
    query = sa.select(Person.id)
    if search:
        query = query.where(name_or_email_contains(search))
    if department_id is not None:
        query = query.where(Person.department_id == department_id)
    total = db.session.scalar(query.with_only_columns(sa.func.count(Person.id)))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        query.with_only_columns(
            Person.id,
            Person.name,
            Person.email,
            Person.department_id,
            Person.job_function,
            Person.active,
            _ROLES,
        )
        .order_by(Person.active.desc(), Person.name, Person.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    people = [StaffRow(*row[:-1], sorted(row[-1].split(",")) if row[-1] else []) for row in rows]
    return PeoplePage(people, total, page, pages)


def current_people(emails: list[str] | None = None) -> dict[str, rules.Current]:
    """Stored people by e-mail address as plain values (department name, roles), for the import's
    check: everyone (``emails`` None, for a full sync) or those with these normalised addresses,
    in one statement per thousand addresses."""
    from lernpfad.reports.tracking import BATCH  # ids per IN list

    query = sa.select(
        Person.id,
        Person.email,
        Person.name,
        Department.name,
        Person.job_function,
        Person.active,
        _ROLES,
    ).outerjoin(Department, Department.id == Person.department_id)
    if emails is None:
        queries = [query]
    else:
        emails = sorted(set(emails))
        queries = [
            query.where(Person.email.in_(emails[start : start + BATCH]))
            for start in range(0, len(emails), BATCH)
        ]
    found = {}
    for statement in queries:
        for id_, email, name, department, job, active, roles in db.session.execute(statement):
            found[email] = rules.Current(
                id=id_,
                email=email,
                name=name,
                department=department or "",
                job_function=job or "",
                roles=frozenset(Role(r) for r in roles.split(",")) if roles else frozenset(),
                active=active,
            )
    return found


def lock_importer(actor: Person) -> None:
    """A write on the importer's row serialises their parallel confirmations (a double click; a
    row lock on PostgreSQL, the write lock on SQLite): the second reads the people after the
    first committed, so its plan no longer matches the preview and nothing is stored twice."""
    db.session.execute(
        sa.update(Person)
        .where(Person.id == actor.id)
        .values(created_at=Person.created_at)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    deactivated: int
    invited: int


def import_people(
    lines: list[rules.Line],
    *,
    invite_hours: int | None,
    actor: Person | None,
    deactivate_ids: list[int] | tuple[int, ...] = (),
    via: str = "import",
) -> ImportResult:
    """Store checked lines (people.rules.check; all must be ok): create the new people, apply the
    changes of existing ones (audited as "person.updated" with the changed fields, roles through
    set_roles, both with ``via``), and deactivate ``deactivate_ids`` (a full sync, see
    people.rules.plan_import) through deactivate. Unchanged and inactive people stay untouched;
    departments are created by name. With ``invite_hours``, each new person gets an invitation
    mail (through the outbox). ``via`` names the way in the audit log ("api" for the JSON API).
    Raises PersonExists, RoleChangeRefused, StatusRefused."""
    from lernpfad.audit.services import record_audit

    if not all(line.ok for line in lines):
        raise ValueError("import only checked, error-free lines")
    by_name = {d.name: d for d in departments()}

    def department_named(name: str) -> Department | None:
        if not name:
            return None
        if name not in by_name:
            by_name[name] = Department(name=name)
            db.session.add(by_name[name])
            db.session.flush()
        return by_name[name]

    changed = [line for line in lines if line.status == rules.CHANGED]
    stored = _people_by_id([line.person_id for line in changed] + list(deactivate_ids))
    for line in changed:
        person = stored[line.person_id]
        if line.roles_after is not None:
            set_roles(person, set(line.roles_after), actor=actor, via=via, flush=False)
        fields = []
        for change in line.changes:
            if change.field == "department":
                person.department = department_named(change.after)
                fields.append("department_id")
            elif change.field != "roles":
                setattr(person, change.field, change.after)
                fields.append(change.field)
        if fields:
            record_audit(
                actor=actor, action="person.updated", subject=person, fields=fields, via=via
            )
    created = invited = 0
    for line in lines:
        if line.status != rules.NEW:
            continue
        person = create_person(
            name=line.name,
            email=line.email,
            department=department_named(line.department),
            job_function=line.job_function,
            roles=line.roles,
            actor=actor,
            via=via,
        )
        created += 1
        if invite_hours:
            send_invitation(person, invite_hours, by_mail=True)
            invited += 1
    for person_id in deactivate_ids:
        if person_id in stored:  # people are anonymised, never deleted; this is a safeguard
            deactivate(stored[person_id], actor)
    db.session.flush()
    unchanged = sum(1 for line in lines if line.status in (rules.UNCHANGED, rules.INACTIVE))
    return ImportResult(created, len(changed), unchanged, len(deactivate_ids), invited)


def _people_by_id(ids: list[int]) -> dict[int, Person]:
    """People (with their roles) by id, one statement per thousand ids."""
    from lernpfad.reports.tracking import BATCH

    ids = sorted(set(ids))
    found = {}
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        found.update(
            (p.id, p) for p in db.session.scalars(sa.select(Person).where(Person.id.in_(batch)))
        )
    return found


class AnonymiseRefused(ValueError):
    """The reason is a German message for HR."""


ANONYMOUS_TEXT = "[gelöscht]"


def anonymise(person: Person, actor: Person) -> None:
    """Erase a leaver's identity and what they wrote; keep anonymous numbers for the reports.

    Kept, linked to a nameless record without department or roles: the levels of their results,
    module completions and mentoring session counts (the Art. 4 evidence counts completions of
    former staff too). Erased: name, address, job, department, roles, manager, answers, hand-in
    texts, exam answers and certification project texts, feedback to them, session topics, unsent mail to them, details of audit entries about
    them, one-time links, failed logins under their address, a champion's office hours and
    contact note, individual champion assignments, the bound company account (SSO)."""
    from lernpfad.assessments.models import AssessmentAttempt, AssessmentResult
    from lernpfad.audit.models import AuditEvent
    from lernpfad.audit.services import record_audit
    from lernpfad.auth.models import AccountToken, LoginFailure
    from lernpfad.certification.models import ExamAttempt, Project
    from lernpfad.jobs.models import OutboxMail
    from lernpfad.mentoring.models import MentoringSession
    from lernpfad.mentoring.services import forget_person
    from lernpfad.modules.models import QuizAttempt, Submission
    from lernpfad.sso.models import SsoIdentity
    from lernpfad.xapi.services import forget_person as forget_xapi_actor

    if person.active:
        raise AnonymiseRefused(_("Bitte deaktivieren Sie die Person zuerst."))
    if person.anonymised:
        raise AnonymiseRefused(_("Diese Person ist bereits anonymisiert."))
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.email == person.email))
    db.session.execute(
        sa.delete(OutboxMail).where(
            OutboxMail.recipient == person.email, OutboxMail.sent_at.is_(None)
        )
    )
    db.session.execute(
        sa.update(AuditEvent).where(AuditEvent.subject_id == person.id).values(details={})
    )
    db.session.execute(sa.delete(AccountToken).where(AccountToken.person_id == person.id))
    # The company account's subject identifies the person at the provider.
    db.session.execute(sa.delete(SsoIdentity).where(SsoIdentity.person_id == person.id))
    db.session.execute(
        sa.update(AssessmentAttempt)
        .where(AssessmentAttempt.person_id == person.id)
        .values(answers={})
    )
    db.session.execute(
        sa.update(AssessmentResult)
        .where(AssessmentResult.person_id == person.id)
        .values(details={}, volunteered=False, hours=0)
    )
    db.session.execute(
        sa.update(QuizAttempt).where(QuizAttempt.person_id == person.id).values(answers={})
    )
    # The certification's exam answers and project texts are the person's own words, too.
    db.session.execute(
        sa.update(ExamAttempt).where(ExamAttempt.person_id == person.id).values(answers={})
    )
    db.session.execute(
        sa.update(Project)
        .where(Project.person_id == person.id)
        .values(
            title=ANONYMOUS_TEXT,
            what_was_done=ANONYMOUS_TEXT,
            baseline="",
            result="",
            effect=ANONYMOUS_TEXT,
            feedback=None,
        )
    )
    db.session.execute(
        sa.update(Submission)
        .where(Submission.person_id == person.id)
        .values(
            text=ANONYMOUS_TEXT,
            html=f"<p>{ANONYMOUS_TEXT}</p>",
            feedback=None,
            feedback_html=None,
        )
    )
    db.session.execute(
        sa.update(MentoringSession)
        .where(
            sa.or_(
                MentoringSession.mentee_id == person.id, MentoringSession.champion_id == person.id
            )
        )
        .values(topic=ANONYMOUS_TEXT)
    )
    forget_person(person)
    forget_xapi_actor(person)  # the xAPI pseudonym and the statements not yet sent
    person.name = f"Ehemalige Person {person.id}"  # stored data, the same in every language
    person.email = f"person-{person.id}{ANONYMOUS_DOMAIN}"
    person.job_function = ""
    person.password_hash = None
    person.locale = None
    person.last_login_at = None
    person.department = None  # in a small team, department and roles would identify
    person.manager = None
    for role in sorted(person.roles - {Role.LEARNER}):  # erasure, not a role decision: no rule
        person.remove_role(role)
        record_audit(
            actor=actor, action="role.removed", subject=person, role=role, via="anonymisation"
        )
    person.end_all_sessions()
    record_audit(actor=actor, action="anonymised", subject=person)
    db.session.flush()
