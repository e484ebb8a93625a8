"""Champion responsibilities (departments and individual mentees), the directory with office
hours, the review queue and the mentoring log. Callers commit."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import force_locale, format_number
from flask_babel import gettext as _
from sqlalchemy.orm import aliased, contains_eager, joinedload, load_only

from lernpfad.audit.services import record_audit
from lernpfad.auth.models import Department, Person, PersonRole, Role
from lernpfad.content.models import ModuleVersion
from lernpfad.core.links import external_url
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.jobs.mail import queue_mail
from lernpfad.mentoring import rules
from lernpfad.mentoring.models import (
    ChampionDepartment,
    ChampionMentee,
    ChampionProfile,
    MentoringSession,
)
from lernpfad.modules import rules as progress_rules
from lernpfad.modules import services as modules
from lernpfad.modules.models import Submission
from lernpfad.notices.models import NoticeKind
from lernpfad.notices.services import notify

ACCEPT = "annehmen"
RETURN = "zurueckgeben"


class ReviewRefused(ValueError):
    """The reason is a German message for the champion."""


class AssignmentRefused(ValueError):
    """The reason is a German message for HR."""


class ProfileRefused(ValueError):
    """The reason is a German message for the champion."""


def _scope_query(champion_id):
    """Department ids a champion looks after: their own, and those HR assigned them to."""
    return sa.union(
        sa.select(Person.department_id).where(
            Person.id == champion_id, Person.department_id.is_not(None)
        ),
        sa.select(ChampionDepartment.department_id).where(
            ChampionDepartment.champion_id == champion_id
        ),
    )


def _mentees_query(champion_id):
    """Ids of the people HR asked a champion to look after individually."""
    return sa.select(ChampionMentee.mentee_id).where(ChampionMentee.champion_id == champion_id)


def departments_of(champion: Person) -> set[int]:
    """The departments a champion looks after. Individual mentees are not in it: they widen whom
    a champion reviews and mentors (``looks_after``), not the department's use cases."""
    if not champion.has_role(Role.CHAMPION):
        return set()
    return set(db.session.scalars(_scope_query(champion.id)))


def mentees_of(champion: Person) -> set[int]:
    """Ids of the champion's individual mentees (besides their departments)."""
    if not champion.has_role(Role.CHAMPION):
        return set()
    return set(db.session.scalars(_mentees_query(champion.id)))


def looks_after(champion: Person, person: Person) -> bool:
    """The champion looks after the person: through a department or individually
    (``rules.looks_after``)."""
    return rules.looks_after(
        champion_id=champion.id,
        is_champion=champion.has_role(Role.CHAMPION),
        champion_active=champion.active,
        departments=departments_of(champion),
        mentees=mentees_of(champion),
        person_id=person.id,
        person_department=person.department_id,
        person_active=person.active,
    )


def champions_for(department_id: int | None) -> list[Person]:
    """The active champions who look after a department (a learner's "Ihr KI-Champion")."""
    if department_id is None:
        return []
    assigned = sa.select(ChampionDepartment.champion_id).where(
        ChampionDepartment.department_id == department_id
    )
    return list(
        db.session.scalars(
            sa.select(Person)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .where(
                Person.active,
                PersonRole.role == Role.CHAMPION.value,
                sa.or_(Person.department_id == department_id, Person.id.in_(assigned)),
            )
            .order_by(Person.name)
        )
    )


def individual_champion(person: Person) -> Person | None:
    """The active champion HR asked to look after this person individually, if any."""
    return db.session.scalar(
        sa.select(Person)
        .join(ChampionMentee, ChampionMentee.champion_id == Person.id)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(
            ChampionMentee.mentee_id == person.id,
            Person.active,
            PersonRole.role == Role.CHAMPION.value,
        )
    )


def individual_mentees(champion: Person) -> list[Person]:
    """The active people the champion looks after individually, by name."""
    return list(
        db.session.scalars(
            sa.select(Person)
            .where(Person.id.in_(_mentees_query(champion.id)), Person.active)
            .order_by(Person.name, Person.id)
        )
    )


@dataclass(frozen=True)
class ChampionContacts:
    """What a person's path page says about KI-Champions."""

    individual: Person | None  # the champion HR assigned to the person individually
    others: list[Person]  # the champions for the person's department, not the person
    is_champion: bool  # the person is a KI-Champion themselves
    looked_after: list[Department]  # what they look after as a champion, by name
    mentees: list[Person]  # whom they look after individually as a champion
    waiting_reviews: int  # hand-ins there waiting for their review
    profiles: dict[int, ChampionProfile]  # office hours and contact of the champions named


def champion_contacts(person: Person) -> ChampionContacts:
    """The person's KI-Champions (individual and of the department) with their office hours —
    and, for a champion, that they are one and whom they look after."""
    is_champion = person.active and person.has_role(Role.CHAMPION)
    scope = departments_of(person) if is_champion else set()
    individual = individual_champion(person)
    others = [
        p
        for p in champions_for(person.department_id)
        if p.id != person.id and (individual is None or p.id != individual.id)
    ]
    named = [p.id for p in others] + ([individual.id] if individual else []) + [person.id]
    return ChampionContacts(
        individual=individual,
        others=others,
        is_champion=is_champion,
        looked_after=list(
            db.session.scalars(
                sa.select(Department).where(Department.id.in_(scope)).order_by(Department.name)
            )
        )
        if scope
        else [],
        mentees=individual_mentees(person) if is_champion else [],
        waiting_reviews=pending_count(person) if is_champion else 0,
        profiles=profiles_for(named),
    )


def profiles_for(person_ids) -> dict[int, ChampionProfile]:
    """The champions' office hours and contact notes, by person id (absent when never set)."""
    ids = set(person_ids)
    if not ids:
        return {}
    rows = db.session.scalars(sa.select(ChampionProfile).where(ChampionProfile.person_id.in_(ids)))
    return {row.person_id: row for row in rows}


def profile_of(person: Person) -> ChampionProfile | None:
    return db.session.scalar(
        sa.select(ChampionProfile).where(ChampionProfile.person_id == person.id)
    )


def save_profile(champion: Person, office_hours: str, contact: str) -> ChampionProfile:
    """Store the champion's office hours and contact note (each one line, optional).
    Refused with a German reason for anyone but an active champion or for too long text."""
    if not champion.active or not champion.has_role(Role.CHAMPION):
        raise ProfileRefused(_("Sprechzeiten geben nur KI-Champions an."))
    values = {"office_hours": (office_hours or "").strip(), "contact": (contact or "").strip()}
    if any(len(value) > rules.PROFILE_MAX_CHARS for value in values.values()):
        raise ProfileRefused(
            _(
                "Bitte kürzen Sie den Text auf höchstens %(max)d Zeichen (jetzt: %(length)d).",
                max=rules.PROFILE_MAX_CHARS,
                length=max(len(value) for value in values.values()),
            )
        )
    profile = profile_of(champion)
    if profile is None:
        profile = ChampionProfile(person_id=champion.id)
        db.session.add(profile)
    profile.office_hours = values["office_hours"]
    profile.contact = values["contact"]
    db.session.flush()
    return profile


@dataclass(frozen=True)
class Directory:
    """The champions by the departments they look after (own and assigned), with their notes."""

    departments: list[tuple[Department | None, list[Person]]]  # None: champions without any
    profiles: dict[int, ChampionProfile]


def directory() -> Directory:
    """Every active champion under each department they look after, departments by name; a
    champion who looks after no department comes last, under None."""
    people = champions()
    by_id = {p.id: p for p in people}
    groups: dict[int | None, set[int]] = {}
    for person in people:
        if person.department_id is not None:
            groups.setdefault(person.department_id, set()).add(person.id)
    assigned = db.session.execute(
        sa.select(ChampionDepartment.department_id, ChampionDepartment.champion_id).where(
            ChampionDepartment.champion_id.in_(list(by_id))
        )
    )
    for department_id, champion_id in assigned:
        groups.setdefault(department_id, set()).add(champion_id)
    placed = set().union(*groups.values()) if groups else set()
    departments = db.session.scalars(
        sa.select(Department).where(Department.id.in_(groups)).order_by(Department.name)
    )
    listed: list[tuple[Department | None, list[Person]]] = [
        (d, sorted((by_id[i] for i in groups[d.id]), key=lambda p: (p.name, p.id)))
        for d in departments
    ]
    unplaced = [p for p in people if p.id not in placed]
    if unplaced:
        listed.append((None, unplaced))
    return Directory(departments=listed, profiles=profiles_for(by_id))


def can_review(champion: Person, submission: Submission) -> bool:
    """A champion reviews the hand-ins of the people they look after — never their own."""
    return looks_after(champion, submission.person)


# Lists show the module title only; the version's body and quiz stay in the database.
_LIST_OPTIONS = (
    joinedload(Submission.person),
    joinedload(Submission.version).load_only(ModuleVersion.title, ModuleVersion.module_id),
    load_only(
        Submission.id,
        Submission.person_id,
        Submission.module_id,
        Submission.version_id,
        Submission.round,
        Submission.status,
        Submission.created_at,
        Submission.reviewed_at,
    ),
)


def _in_scope(champion: Person):
    return (
        sa.select(Submission)
        .join(Person, Person.id == Submission.person_id)
        .where(
            sa.or_(
                Person.department_id.in_(_scope_query(champion.id)),
                Person.id.in_(_mentees_query(champion.id)),
            ),
            Person.id != champion.id,
        )
        .options(*_LIST_OPTIONS)
    )


def _waiting(champion: Person):
    return _in_scope(champion).where(Submission.status == "submitted", Person.active)


def pending(champion: Person, limit: int) -> list[Submission]:
    """The oldest hand-ins waiting for review from the people the champion looks after."""
    if not champion.has_role(Role.CHAMPION):
        return []
    return list(
        db.session.scalars(
            _waiting(champion).order_by(Submission.created_at, Submission.id).limit(limit)
        )
    )


def pending_count(champion: Person) -> int:
    if not champion.has_role(Role.CHAMPION):
        return 0
    waiting = _waiting(champion).with_only_columns(Submission.id)
    return db.session.scalar(sa.select(sa.func.count()).select_from(waiting.subquery()))


def reviewed_by(champion: Person, limit: int = 20) -> list[Submission]:
    return list(
        db.session.scalars(
            sa.select(Submission)
            .where(Submission.reviewer_id == champion.id)
            .options(*_LIST_OPTIONS)
            .order_by(Submission.reviewed_at.desc(), Submission.id.desc())
            .limit(limit)
        )
    )


def review(champion: Person, submission: Submission, decision: str, feedback: str) -> None:
    """Accept or return a hand-in; refused with a German reason, changing nothing."""
    feedback = (feedback or "").replace("\r\n", "\n").strip()
    if decision not in (ACCEPT, RETURN):
        raise ReviewRefused(_("Bitte wählen Sie „Annehmen“ oder „Zurückgeben“."))
    if len(feedback) > rules.FEEDBACK_MAX_CHARS:
        raise ReviewRefused(
            _(
                "Ihre Rückmeldung ist zu lang: %(n)s Zeichen, erlaubt sind %(max)s.",
                n=format_number(len(feedback)),
                max=format_number(rules.FEEDBACK_MAX_CHARS),
            )
        )
    if decision == RETURN and not feedback:
        raise ReviewRefused(
            _("Bitte schreiben Sie beim Zurückgeben, was noch fehlt oder anders sein sollte.")
        )
    if not can_review(champion, submission):
        raise ReviewRefused(_("Diese Abgabe gehört nicht zu Ihren Abteilungen."))
    # Claim the hand-in atomically: of two reviewers at the same moment, one wins.
    claimed = db.session.execute(
        sa.update(Submission)
        .where(Submission.id == submission.id, Submission.status == "submitted")
        .values(reviewed_at=utcnow(), reviewer_id=champion.id)
    ).rowcount
    if claimed != 1:
        raise ReviewRefused(_("Diese Abgabe ist bereits bewertet."))
    db.session.refresh(submission)
    try:
        if decision == ACCEPT:
            modules.accept_submission(submission, champion, feedback)
        else:
            modules.return_submission(submission, champion, feedback)
    except progress_rules.InvalidTransition:
        raise ReviewRefused(_("Diese Abgabe ist bereits bewertet.")) from None
    _tell_learner(submission, champion, feedback)
    notify(
        submission.person,
        NoticeKind.REVIEWED if submission.status == "accepted" else NoticeKind.RETURNED,
        {"title": submission.version.title, "champion": champion.name},
        link="modules.show",
        link_args={"module_id": submission.module_id},
    )


def _tell_learner(submission: Submission, champion: Person, feedback: str) -> None:
    """A mail to the learner, in their language, with the feedback and the way back to the module."""
    learner = submission.person
    link = external_url("modules.show", module_id=submission.module_id)
    title = submission.version.title
    with force_locale(learner.locale or "de"):
        if submission.status == "accepted":
            subject = _("Lernpfad: Ihre Abgabe zu „%(title)s“ ist angenommen", title=title)
            opening = _(
                "%(champion)s hat Ihre Praxisaufgabe zum Modul „%(title)s“ angenommen.",
                champion=champion.name,
                title=title,
            )
        else:
            subject = _(
                "Lernpfad: Ihre Abgabe zu „%(title)s“ braucht eine Überarbeitung", title=title
            )
            opening = _(
                "%(champion)s hat Ihre Praxisaufgabe zum Modul „%(title)s“ mit einer Rückmeldung zurückgegeben. Sie können sie überarbeiten und erneut einreichen.",
                champion=champion.name,
                title=title,
            )
        parts = [_("Guten Tag %(name)s,", name=learner.name), opening]
        if feedback:
            parts.append(_("Rückmeldung:") + "\n" + feedback)
        parts.append(_("Zum Modul: %(link)s", link=link))
        queue_mail(to=learner.email, subject=subject, body="\n\n".join(str(p) for p in parts))


def assignments() -> list[tuple[Department, list[Person], list[ChampionDepartment]]]:
    """Every department with its own champions and the champions HR assigned to it."""
    rows = db.session.scalars(
        sa.select(ChampionDepartment).options(joinedload(ChampionDepartment.champion))
    )
    assigned: dict[int, list[ChampionDepartment]] = {}
    for row in rows:
        assigned.setdefault(row.department_id, []).append(row)
    own: dict[int, list[Person]] = {}
    for person in champions():
        if person.department_id is not None:
            own.setdefault(person.department_id, []).append(person)
    departments = db.session.scalars(sa.select(Department).order_by(Department.name))
    return [
        (
            d,
            own.get(d.id, []),
            sorted(assigned.get(d.id, []), key=lambda r: r.champion.name),
        )
        for d in departments
    ]


def champions() -> list[Person]:
    return list(
        db.session.scalars(
            sa.select(Person)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .where(Person.active, PersonRole.role == Role.CHAMPION.value)
            .order_by(Person.name)
        )
    )


def already_assigned(champion: Person, department: Department) -> str:
    return _(
        "%(name)s betreut %(department)s bereits.", name=champion.name, department=department.name
    )


def assign(champion: Person, department: Department) -> ChampionDepartment:
    if not champion.active or not champion.has_role(Role.CHAMPION):
        raise AssignmentRefused(_("Nur aktive KI-Champions können eine Abteilung betreuen."))
    if champion.department_id == department.id:
        raise AssignmentRefused(
            _(
                "%(name)s betreut die eigene Abteilung %(department)s ohnehin.",
                name=champion.name,
                department=department.name,
            )
        )
    exists = db.session.scalar(
        sa.select(ChampionDepartment.id).where(
            ChampionDepartment.champion_id == champion.id,
            ChampionDepartment.department_id == department.id,
        )
    )
    if exists is not None:
        raise AssignmentRefused(already_assigned(champion, department))
    row = ChampionDepartment(champion_id=champion.id, department_id=department.id)
    db.session.add(row)
    db.session.flush()
    return row


def mentee_assignments() -> list[ChampionMentee]:
    """Every individual assignment, by champion, then mentee name."""
    champion, mentee = aliased(Person), aliased(Person)
    return list(
        db.session.scalars(
            sa.select(ChampionMentee)
            .join(champion, champion.id == ChampionMentee.champion_id)
            .join(mentee, mentee.id == ChampionMentee.mentee_id)
            .options(
                contains_eager(ChampionMentee.champion.of_type(champion)),
                contains_eager(ChampionMentee.mentee.of_type(mentee)).joinedload(mentee.department),
            )
            .order_by(champion.name, mentee.name, ChampionMentee.id)
        )
    )


def in_effect(row: ChampionMentee) -> bool:
    """The assignment counts: an active champion and an active mentee (else it rests)."""
    return row.champion.active and row.champion.has_role(Role.CHAMPION) and row.mentee.active


def mentee_candidates() -> list[Person]:
    """Active people HR can assign individually, by department name (none last), then name."""
    return list(
        db.session.scalars(
            sa.select(Person)
            .outerjoin(Department, Department.id == Person.department_id)
            .where(Person.active)
            .options(contains_eager(Person.department))
            .order_by(Department.name.is_(None), Department.name, Person.name, Person.id)
        )
    )


def _mentee_messages(champion: Person, mentee: Person, current: Person | None) -> dict[str, str]:
    return {
        "not_champion": _("Nur aktive KI-Champions können Personen betreuen."),
        "self": _("Ein KI-Champion kann sich nicht selbst betreuen."),
        "inactive": _("%(name)s ist nicht aktiv.", name=mentee.name),
        "already": _(
            "%(champion)s betreut %(name)s bereits.", champion=champion.name, name=mentee.name
        ),
        "taken": _(
            "%(name)s wird bereits von %(champion)s persönlich betreut. Jede Person hat höchstens einen persönlichen KI-Champion – bitte entfernen Sie zuerst diese Zuordnung.",
            name=mentee.name,
            champion=current.name if current else "",
        ),
    }


def mentee_taken(champion: Person, mentee: Person) -> str:
    """The message for an assignment that lost a race (the unique key on the mentee): by this
    champion or by another one at the same moment."""
    holder = db.session.scalar(
        sa.select(Person)
        .join(ChampionMentee, ChampionMentee.champion_id == Person.id)
        .where(ChampionMentee.mentee_id == mentee.id)
    )
    key = "already" if holder is None or holder.id == champion.id else "taken"
    return _mentee_messages(champion, mentee, holder)[key]


def assign_mentee(champion: Person, mentee: Person, actor: Person) -> ChampionMentee:
    """HR asks a champion to look after one person individually. Audited; refused with a German
    reason (``rules.mentee_problem``), changing nothing."""
    current = db.session.scalar(
        sa.select(ChampionMentee).where(ChampionMentee.mentee_id == mentee.id)
    )
    problem = rules.mentee_problem(
        champion_id=champion.id,
        is_champion=champion.has_role(Role.CHAMPION),
        champion_active=champion.active,
        mentee_id=mentee.id,
        mentee_active=mentee.active,
        current_champion_id=current.champion_id if current else None,
    )
    if problem:
        holder = current.champion if current else None
        raise AssignmentRefused(_mentee_messages(champion, mentee, holder)[problem])
    row = ChampionMentee(champion_id=champion.id, mentee_id=mentee.id)
    db.session.add(row)
    db.session.flush()
    record_audit(actor=actor, action="mentee.assigned", subject=mentee, champion_id=champion.id)
    return row


def unassign_mentee(row: ChampionMentee, actor: Person) -> None:
    """End an individual assignment. Audited."""
    record_audit(
        actor=actor, action="mentee.removed", subject=row.mentee, champion_id=row.champion_id
    )
    db.session.delete(row)
    db.session.flush()


def forget_person(person: Person) -> None:
    """Erasure (people.services.anonymise): the person's directory notes and individual
    assignments, as champion and as mentee, go."""
    db.session.execute(sa.delete(ChampionProfile).where(ChampionProfile.person_id == person.id))
    db.session.execute(
        sa.delete(ChampionMentee).where(
            sa.or_(ChampionMentee.champion_id == person.id, ChampionMentee.mentee_id == person.id)
        )
    )


class SessionRefused(ValueError):
    """The reasons are German messages for the champion."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def _session_messages() -> dict[str, str]:
    low, high = rules.SESSION_MINUTES
    return {
        "future": _("Das Datum liegt in der Zukunft."),
        "too_old": _(
            "Sitzungen können bis zu %(days)d Tage nachgetragen werden.",
            days=rules.SESSION_MAX_AGE.days,
        ),
        "minutes": _(
            "Die Dauer muss zwischen %(low)d und %(high)d Minuten liegen.", low=low, high=high
        ),
        "topic_missing": _("Bitte nennen Sie das Thema."),
        "topic_too_long": _(
            "Das Thema darf höchstens %(n)d Zeichen lang sein.", n=rules.TOPIC_MAX_CHARS
        ),
    }


def mentees_for(champion: Person) -> list[Person]:
    """Active colleagues the champion looks after — in their departments and individually — by
    department name (people without one last), then name."""
    if not champion.has_role(Role.CHAMPION):
        return []
    return list(
        db.session.scalars(
            sa.select(Person)
            .outerjoin(Department, Department.id == Person.department_id)
            .where(
                sa.or_(
                    Person.department_id.in_(_scope_query(champion.id)),
                    Person.id.in_(_mentees_query(champion.id)),
                ),
                Person.active,
                Person.id != champion.id,
            )
            .options(contains_eager(Person.department))
            .order_by(Department.name.is_(None), Department.name, Person.name, Person.id)
        )
    )


def log_session(
    champion: Person, mentee: Person | None, held_on: date, minutes: int, topic: str, today: date
) -> MentoringSession:
    """Record a session; it waits for the mentee's confirmation. Refused with German reasons."""
    topic = (topic or "").strip()
    messages = _session_messages()
    problems = [messages[key] for key in rules.session_problems(held_on, today, minutes, topic)]
    if mentee is None or not looks_after(champion, mentee):
        problems.insert(0, _("Diese Person gehört nicht zu Ihren Abteilungen."))
    if problems:
        raise SessionRefused(problems)
    already = db.session.scalar(
        sa.select(MentoringSession.id).where(
            MentoringSession.champion_id == champion.id,
            MentoringSession.mentee_id == mentee.id,
            MentoringSession.held_on == held_on,
            MentoringSession.topic == topic,
        )
    )
    if already is not None:
        raise SessionRefused([_("Diese Sitzung ist bereits eingetragen.")])
    session = MentoringSession(
        champion_id=champion.id, mentee_id=mentee.id, held_on=held_on, minutes=minutes, topic=topic
    )
    db.session.add(session)
    db.session.flush()
    notify(
        mentee,
        NoticeKind.SESSION_TO_CONFIRM,
        {"champion": champion.name, "held_on": held_on.isoformat(), "topic": topic},
        link="mentoring.my_sessions",
    )
    return session


def sessions_of(champion: Person, limit: int = 50) -> list[MentoringSession]:
    return list(
        db.session.scalars(
            sa.select(MentoringSession)
            .where(MentoringSession.champion_id == champion.id)
            .options(joinedload(MentoringSession.mentee))
            .order_by(MentoringSession.held_on.desc(), MentoringSession.id.desc())
            .limit(limit)
        )
    )


def tally_for(champion: Person) -> rules.MentoringTally:
    rows = db.session.execute(
        sa.select(
            MentoringSession.mentee_id, MentoringSession.status, MentoringSession.minutes
        ).where(MentoringSession.champion_id == champion.id)
    )
    return rules.tally([tuple(row) for row in rows])


def _as_mentee(person: Person):
    return (
        sa.select(MentoringSession)
        .where(MentoringSession.mentee_id == person.id)
        .options(joinedload(MentoringSession.champion))
    )


def waiting_confirmations(person: Person) -> list[MentoringSession]:
    """Sessions a champion logged with this person that wait for their answer."""
    waiting = _as_mentee(person).where(MentoringSession.status == "waiting")
    return list(db.session.scalars(waiting.order_by(MentoringSession.held_on)))


def sessions_as_mentee(person: Person) -> list[MentoringSession]:
    """Every session a champion logged with this person, newest first."""
    newest_first = (MentoringSession.held_on.desc(), MentoringSession.id.desc())
    return list(db.session.scalars(_as_mentee(person).order_by(*newest_first)))


def count_as_mentee(person: Person) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(MentoringSession)
        .where(MentoringSession.mentee_id == person.id)
    )


def answer(person: Person, session: MentoringSession, confirmed: bool) -> None:
    """The mentee confirms or declines a session once; a second answer is refused."""
    changed = db.session.execute(
        sa.update(MentoringSession)
        .where(
            MentoringSession.id == session.id,
            MentoringSession.mentee_id == person.id,
            MentoringSession.status == "waiting",
        )
        .values(status="confirmed" if confirmed else "declined", answered_at=utcnow())
    ).rowcount
    if changed != 1:
        raise SessionRefused([_("Diese Sitzung ist bereits beantwortet.")])
    db.session.refresh(session)
