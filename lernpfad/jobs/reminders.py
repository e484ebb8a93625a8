"""Reminders and invitations — inactive learners, assigned modules due or overdue, the
re-assessment — and what every reminder, invitation and digest shares (``Sender``): the
person's preference, the claim that sends each (person, kind, key) once, the in-app notice and
the mail (text and HTML) in the person's language. Jobs flush; run_job commits."""

from dataclasses import asdict, dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from lernpfad.auth.models import Person
from lernpfad.core.links import external_url
from lernpfad.extensions import db
from lernpfad.jobs import rules
from lernpfad.jobs.mail import queue_mail, render_mail
from lernpfad.jobs.models import ReminderLog
from lernpfad.jobs.services import Job, local, register
from lernpfad.notices.services import notify, preferences_by_person, unsubscribe_url


@dataclass
class Tally:
    """What a run did, recorded with the job run."""

    mails: int = 0
    notices: int = 0
    skipped_opt_out: int = 0
    already_sent: int = 0


class Sender:
    """One job run's way of reaching people: preferences read once, counts kept."""

    def __init__(self, now: datetime):
        self.now = now
        self.tally = Tally()
        self._preferences = preferences_by_person()

    def wants(self, person: Person, kind: str) -> bool:
        reminders, digest = self._preferences.get(person.id, (True, True))
        return rules.wanted(kind, reminders=reminders, digest=digest)

    def claim(self, person: Person, kind: str, key: str) -> bool:
        """Record the reminder before it is sent; False when it was sent (or claimed) before."""
        try:
            with db.session.begin_nested():
                db.session.add(
                    ReminderLog(person_id=person.id, kind=kind, key=key, sent_at=self.now)
                )
        except IntegrityError:
            return False
        return True

    def send(
        self,
        person: Person,
        kind: str,
        key: str,
        *,
        subject,
        context: dict,
        link: str,
        link_args: dict | None = None,
        params: dict | None = None,
        notice: bool = True,
    ) -> bool:
        """Notice and mail for one (person, kind, key), once, unless the person switched the
        kind off. ``subject`` is a lazy string; templates/mail/<kind>.txt and .html the mail."""
        if not self.wants(person, kind):
            self.tally.skipped_opt_out += 1
            return False
        if not self.claim(person, kind, key):
            self.tally.already_sent += 1
            return False
        if notice:
            notify(person, kind, params, link=link, link_args=link_args, at=self.now)
            self.tally.notices += 1
        category = rules.SWITCHABLE.get(kind)
        locale = person.locale or "de"
        with force_locale(locale):
            subject = str(subject)
            text, html = render_mail(
                kind,
                **context,
                subject=subject,
                locale=locale,
                name=person.name,
                link=external_url(link, **(link_args or {})),
                category=category,
                unsubscribe_url=unsubscribe_url(person, category) if category else None,
                settings_url=external_url("notices.preferences"),
            )
        queue_mail(to=person.email, subject=subject, body=text, html=html)
        self.tally.mails += 1
        return True

    def counts(self, **extra: int) -> dict[str, int]:
        return {**asdict(self.tally), **extra}


def reachable_people():
    """People a reminder may go to: active accounts that were set up (a password), not
    anonymised."""
    from lernpfad.auth.models import ANONYMOUS_DOMAIN

    return sa.select(Person).where(
        Person.active,
        Person.password_hash.is_not(None),
        Person.email.not_like(f"%{ANONYMOUS_DOMAIN}"),
    )


def local_date(moment: datetime | None) -> date | None:
    return local(moment).date() if moment is not None else None


# ---------------------------------------------------------------------------------------------
# Inactivity


def last_activity() -> dict[int, datetime]:
    """person id → their latest learning step: a quiz attempt, a hand-in, a progress update."""
    from lernpfad.modules.models import ModuleProgress, QuizAttempt, Submission

    latest: dict[int, datetime] = {}
    for column, person in (
        (QuizAttempt.at, QuizAttempt.person_id),
        (Submission.created_at, Submission.person_id),
        (ModuleProgress.updated_at, ModuleProgress.person_id),
    ):
        for person_id, at in db.session.execute(
            sa.select(person, sa.func.max(column)).group_by(person)
        ):
            if at is not None and (person_id not in latest or at > latest[person_id]):
                latest[person_id] = at
    return latest


def last_sent(kind: str) -> dict[int, datetime]:
    """person id → when they last got a reminder of ``kind``."""
    return dict(
        db.session.execute(
            sa.select(ReminderLog.person_id, sa.func.max(ReminderLog.sent_at))
            .where(ReminderLog.kind == kind)
            .group_by(ReminderLog.person_id)
        ).all()
    )


def open_required_modules(person: Person) -> tuple[int, str | None]:
    """How many required modules of the person's path are not completed, and the next one's
    title (None without a path)."""
    from lernpfad.assessments.services import latest_result
    from lernpfad.modules.rules import COMPLETED
    from lernpfad.modules.services import progress_map
    from lernpfad.paths.services import path_for

    latest = latest_result(person)
    _role, _path, steps = path_for(person, latest.levels if latest else None)
    progress = progress_map(person)
    pairs = [
        (not step.optional, progress[step.module_id].state if step.module_id in progress else None)
        for step in steps
    ]
    waiting = [
        step
        for step, (counts, state) in zip(steps, pairs, strict=True)
        if counts and state != COMPLETED
    ]
    return rules.open_required(pairs), (waiting[0].module.title if waiting else None)


def remind_inactive(now: datetime) -> dict[str, int]:
    """Learners idle for INACTIVITY_DAYS with required modules open: a notice and a mail, at
    most one in INACTIVITY_REPEAT_DAYS each."""
    config = current_app.config
    today = local(now).date()
    sender = Sender(now)
    activity = last_activity()
    reminded = last_sent("inactivity")
    for person in db.session.scalars(reachable_people().order_by(Person.id)):
        moments = [activity.get(person.id), person.last_login_at, person.created_at]
        last = max(m for m in moments if m is not None)
        if not rules.inactivity_due(
            local_date(last),
            local_date(reminded.get(person.id)),
            today,
            idle_days=config["INACTIVITY_DAYS"],
            repeat_days=config["INACTIVITY_REPEAT_DAYS"],
        ):
            continue
        if not sender.wants(person, "inactivity"):  # before the path is worked out
            sender.tally.skipped_opt_out += 1
            continue
        open_count, next_title = open_required_modules(person)
        if not open_count:
            continue
        sender.send(
            person,
            "inactivity",
            today.isoformat(),
            subject=_l("Lernpfad: Ihr Lernpfad wartet auf Sie"),
            params={"open": open_count},
            link="paths.mine",
            context={"open": open_count, "next_title": next_title},
        )
    return sender.counts()


# ---------------------------------------------------------------------------------------------
# Due dates of assigned modules


def remind_due_dates(now: datetime) -> dict[str, int]:
    """Assigned modules not completed: a reminder from DUE_SOON_DAYS before the due date, and
    one notice when overdue — once each per module and due date. Withdrawn assignments are
    deleted (modules.assignments.withdraw_assignments), so nothing is sent for them."""
    from lernpfad.content.models import ModuleVersion
    from lernpfad.modules.models import ModuleAssignment, ModuleProgress
    from lernpfad.modules.rules import COMPLETED

    soon = current_app.config["DUE_SOON_DAYS"]
    today = local(now).date()
    sender = Sender(now)
    rows = db.session.execute(
        sa.select(ModuleAssignment, ModuleProgress.state, ModuleVersion.title)
        .join(Person, Person.id == ModuleAssignment.person_id)
        .join(
            ModuleVersion,
            sa.and_(
                ModuleVersion.module_id == ModuleAssignment.module_id, ModuleVersion.is_current
            ),
        )
        .outerjoin(
            ModuleProgress,
            sa.and_(
                ModuleProgress.person_id == ModuleAssignment.person_id,
                ModuleProgress.module_id == ModuleAssignment.module_id,
            ),
        )
        .where(
            Person.id.in_(reachable_people().with_only_columns(Person.id)),
            ModuleAssignment.due_on
            >= date.fromordinal(today.toordinal() - rules.OVERDUE_WINDOW_DAYS),
            ModuleAssignment.due_on <= date.fromordinal(today.toordinal() + soon),
        )
        .order_by(ModuleAssignment.due_on, ModuleAssignment.id)
    ).all()
    for assignment, state, title in rows:
        kind = rules.due_reminder(assignment.due_on, today, state == COMPLETED, soon_days=soon)
        if kind is None:
            continue
        sender.send(
            assignment.person,
            kind,
            f"{assignment.module_id}:{assignment.due_on.isoformat()}",
            subject=_l("Lernpfad: „%(title)s“ ist bald fällig", title=title)
            if kind == "due_soon"
            else _l("Lernpfad: „%(title)s“ ist überfällig", title=title),
            params={"title": title, "due_on": assignment.due_on.isoformat()},
            link="modules.show",
            link_args={"module_id": assignment.module_id},
            context={"title": title, "due_on": assignment.due_on},
        )
    return sender.counts()


# ---------------------------------------------------------------------------------------------
# Re-assessment


def invite_to_reassess(now: datetime) -> dict[str, int]:
    """People whose latest self-assessment is older than REASSESSMENT_INTERVAL_DAYS and who
    have not started a new one: one invitation per result."""
    from lernpfad.assessments.models import AssessmentAttempt, AssessmentResult

    interval = current_app.config["REASSESSMENT_INTERVAL_DAYS"]
    sender = Sender(now)
    reachable = reachable_people().with_only_columns(Person.id)
    latest: dict[int, tuple[int, datetime]] = {}
    for person_id, result_id, completed_at in db.session.execute(
        sa.select(AssessmentResult.person_id, AssessmentResult.id, AssessmentResult.completed_at)
        .where(AssessmentResult.person_id.in_(reachable))
        .order_by(AssessmentResult.completed_at, AssessmentResult.id)
    ):
        latest[person_id] = (result_id, completed_at)  # later rows win
    started = set(
        db.session.scalars(
            sa.select(AssessmentAttempt.person_id).where(AssessmentAttempt.completed_at.is_(None))
        )
    )
    for person_id, (result_id, completed_at) in sorted(latest.items()):
        if not rules.reassessment_due(
            completed_at, now, interval, open_attempt=person_id in started
        ):
            continue
        completed_on = local_date(completed_at)
        sender.send(
            db.session.get(Person, person_id),
            "reassessment",
            str(result_id),
            subject=_l("Lernpfad: Zeit für Ihre nächste Selbsteinschätzung"),
            params={"completed_on": completed_on.isoformat()},
            link="assessments.start",
            context={"completed_on": completed_on},
        )
    return sender.counts()


register(Job("inactivity", _l("Erinnerung bei Inaktivität"), "day", "0 9 * * *", remind_inactive))
register(Job("due_dates", _l("Fällige zugewiesene Module"), "day", "0 7 * * *", remind_due_dates))
register(
    Job(
        "reassessment",
        _l("Einladung zur erneuten Selbsteinschätzung"),
        "day",
        "0 8 * * *",
        invite_to_reassess,
    )
)
