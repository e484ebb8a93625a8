"""Progress for the demo people: some modules done, some tasks waiting for review, one returned."""

import random
from datetime import timedelta

import sqlalchemy as sa

from lernpfad.assessments.models import AssessmentResult
from lernpfad.auth.models import Person
from lernpfad.content.models import ModuleVersion
from lernpfad.content.render import render_learner_text
from lernpfad.content.services import current_document
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.modules import rules, services
from lernpfad.modules.models import ModuleProgress, QuizAttempt, Submission
from lernpfad.paths.models import PathAssignment
from lernpfad.paths.services import module_infos, overview, path_role, personalise

DEMO_TEXT = (
    "Ich habe die Aufgabe an einem echten Vorgang aus meiner Woche ausprobiert.\n\n"
    "- Was ich getan habe: Prompt formuliert, Ergebnis geprüft und überarbeitet.\n"
    "- Was es verändert hat: etwa 20 Minuten gespart, zwei Fehler selbst gefunden."
)
FEEDBACK = "Gut nachvollziehbar – weiter so."


def _work_through(
    person: Person,
    count: int,
    reviewer: Person,
    rng: random.Random,
    use_cases: list,
    *,
    end_waiting: bool = False,
    finish: bool = False,
) -> None:
    """Work through the first ``count`` modules of the person's path, spread between their latest
    self-assessment and now, each step in the order it happens: quiz, hand-in, review. With
    ``end_waiting`` the last one is a task that waits for a champion's review; with ``finish``
    every task is accepted (the path is done)."""
    view = overview(person)
    done = {
        module_id
        for module_id, progress in view.progress.items()
        if progress.state == rules.COMPLETED
    }
    todo = [s for s in view.steps if not s.optional and s.module_id not in done]
    if end_waiting:
        reviewed = [s for s in todo if services.current_version(s.module_id).task["review"]]
        todo = [s for s in todo if s not in reviewed[:1]][: count - 1] + reviewed[:1]
    else:
        todo = todo[:count]
    now = utcnow()
    start = view.latest_result.completed_at if view.latest_result else now - timedelta(days=90)
    span = (now - timedelta(hours=6)) - start
    for index, step in enumerate(todo):
        version = services.current_version(step.module_id)
        right = {i: q["correct"] for i, q in enumerate(version.quiz)}
        services.record_quiz(person, version, right, 80, limit=3, pause=timedelta(minutes=10))
        own_cases = [u for u in use_cases if u.department_id == person.department_id]
        submission = services.submit_task(
            person,
            version,
            text=DEMO_TEXT,
            use_case_id=rng.choice(own_cases).id if own_cases and rng.random() < 0.4 else None,
            confirmed=True,
            max_chars=20000,
        )
        last = index == len(todo) - 1
        reviewed = version.task["review"] and (finish or not last)
        if reviewed:
            services.accept_submission(submission, reviewer, FEEDBACK)
        quiz_at = start + span * (index + 1) / (len(todo) + 1)
        _date_the_steps(
            services.progress_of(person, step.module_id),
            submission,
            quiz_at=quiz_at,
            handed_in_at=quiz_at + timedelta(hours=2),
            reviewed_at=min(quiz_at + timedelta(days=1), now - timedelta(hours=1))
            if reviewed
            else None,
        )


def _date_the_steps(progress, submission, *, quiz_at, handed_in_at, reviewed_at) -> None:
    """Put the records of one module on a plausible timeline (the services stamp "now")."""
    for attempt in db.session.scalars(
        sa.select(QuizAttempt).where(
            QuizAttempt.person_id == progress.person_id,
            QuizAttempt.module_id == progress.module_id,
        )
    ):
        attempt.at = quiz_at
    progress.started_at = quiz_at - timedelta(minutes=25)
    progress.quiz_passed_at = quiz_at
    submission.created_at = handed_in_at
    progress.submitted_at = handed_in_at if submission.status != "confirmed" else None
    if reviewed_at is not None:
        submission.reviewed_at = reviewed_at
    if progress.completed_at is not None:
        progress.completed_at = reviewed_at or handed_in_at
    progress.updated_at = progress.completed_at or handed_in_at


def load_demo_progress(
    people: dict[str, Person],
    rng: random.Random,
    use_cases: list,
    champions: dict[int, list[Person]] | None = None,
) -> None:
    """Progress for most people; champion@ reviews the hand-ins, or in a larger company one of
    the ``champions`` of the person's department (by department id)."""
    reviewer = people["champion@muster.example"]
    anna = people["anna@muster.example"]
    # One module done, one task waiting for review; the next step is open.
    _work_through(anna, 2, reviewer, rng, use_cases, end_waiting=True)
    plan = _Plan(use_cases)
    for email, person in sorted(people.items()):
        if email in ("anna@muster.example", "neu@muster.example") or person is reviewer:
            continue
        if rng.random() < 0.75:
            own = (champions or {}).get(person.department_id)
            by = own[person.id % len(own)] if own else reviewer
            plan.work_through(person, rng.randint(0, 7), reviewer if by is person else by, rng)
    db.session.flush()
    # Rows, not objects: nothing here needs them in the session, and tens of thousands of
    # objects would take most of the time. Inserted in order, they get the ids objects would.
    for model, rows in plan.rows.items():
        if rows:
            db.session.execute(model.__table__.insert(), rows)


class _Plan:
    """_work_through for people who have no progress yet, without a query or flush per person
    (the company may have thousands): the same records, the same random draws, in the order the
    services would have made them. Lookups (versions, paths, results) are read once."""

    def __init__(self, use_cases: list):
        self.versions = {
            v.module_id: v
            for v in db.session.scalars(sa.select(ModuleVersion).where(ModuleVersion.is_current))
        }
        self.modules = module_infos()
        self.paths = {}  # role → its path document
        self.latest = {}  # person id → latest result, as assessments.services.latest_result
        for result in db.session.scalars(
            sa.select(AssessmentResult).order_by(
                AssessmentResult.completed_at.desc(), AssessmentResult.id.desc()
            )
        ):
            self.latest.setdefault(result.person_id, result)
        self.assignments = {a.person_id: a for a in db.session.scalars(sa.select(PathAssignment))}
        self.cases: dict[int, list] = {}
        for case in use_cases:
            self.cases.setdefault(case.department_id, []).append(case)
        self.html = render_learner_text(DEMO_TEXT)
        self.feedback_html = render_learner_text(FEEDBACK)
        self.rows: dict[type, list[dict]] = {QuizAttempt: [], ModuleProgress: [], Submission: []}

    def steps(self, person: Person) -> list:
        """The person's open, required steps (paths.services.overview without progress)."""
        role = path_role(self.assignments.get(person.id))
        if role is None:
            return []
        if role not in self.paths:
            self.paths[role] = current_document("path", role)
        if self.paths[role] is None:
            return []
        latest = self.latest.get(person.id)
        steps = personalise(
            self.paths[role].data["steps"], latest.levels if latest else None, self.modules, {}
        )
        return [s for s in steps if not s.optional]

    def work_through(self, person: Person, count: int, reviewer: Person, rng: random.Random):
        """The rows for the first ``count`` steps of the person's path (into self.rows)."""
        todo = self.steps(person)[:count]
        latest = self.latest.get(person.id)
        now = utcnow()
        start = latest.completed_at if latest else now - timedelta(days=90)
        span = (now - timedelta(hours=6)) - start
        own_cases = self.cases.get(person.department_id, [])
        for index, step in enumerate(todo):
            version = self.versions[step.module_id]
            right = {i: q["correct"] for i, q in enumerate(version.quiz)}
            score = rules.score_quiz(version.quiz, right, 80)
            use_case = rng.choice(own_cases).id if own_cases and rng.random() < 0.4 else None
            review = version.task["review"]
            reviewed = review and index != len(todo) - 1
            done = reviewed or not review
            quiz_at = start + span * (index + 1) / (len(todo) + 1)
            handed_in_at = quiz_at + timedelta(hours=2)
            reviewed_at = min(quiz_at + timedelta(days=1), now - timedelta(hours=1))
            reviewed_at = reviewed_at if reviewed else None
            same = {"person_id": person.id, "module_id": step.module_id, "version_id": version.id}
            self.rows[QuizAttempt].append(
                same
                | {
                    "answers": {str(k): v for k, v in right.items()},
                    "correct": score.correct,
                    "total": score.total,
                    "passed": score.passed,
                    "at": quiz_at,
                }
            )
            self.rows[ModuleProgress].append(
                same
                | {
                    "state": rules.COMPLETED if done else rules.SUBMITTED,
                    "quiz_passed": True,
                    "task_accepted": done,
                    "round": 1,
                    "started_at": quiz_at - timedelta(minutes=25),
                    "quiz_passed_at": quiz_at,
                    "quiz_attempts": 1,
                    "tested_out": False,
                    "submitted_at": handed_in_at if review else None,
                    "returned_at": None,
                    "completed_at": (reviewed_at or handed_in_at) if done else None,
                    "updated_at": reviewed_at or handed_in_at,
                }
            )
            self.rows[Submission].append(
                same
                | {
                    "round": 1,
                    "text": DEMO_TEXT,
                    "html": self.html,
                    "use_case_id": use_case,
                    "status": "accepted" if reviewed else "submitted" if review else "confirmed",
                    "created_at": handed_in_at,
                    "reviewer_id": reviewer.id if reviewed else None,
                    "reviewed_at": reviewed_at,
                    "feedback": FEEDBACK if reviewed else None,
                    "feedback_html": self.feedback_html if reviewed else None,
                }
            )
