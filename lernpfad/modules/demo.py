"""Progress for the demo people: some modules done, some tasks waiting for review, one returned."""

import random
from datetime import timedelta

from lernpfad.auth.models import Person
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.modules import services
from lernpfad.paths.services import overview

DEMO_TEXT = (
    "Ich habe die Aufgabe an einem echten Vorgang aus meiner Woche ausprobiert.\n\n"
    "- Was ich getan habe: Prompt formuliert, Ergebnis geprüft und überarbeitet.\n"
    "- Was es verändert hat: etwa 20 Minuten gespart, zwei Fehler selbst gefunden."
)


def _work_through(
    person: Person, count: int, reviewer: Person, rng: random.Random, use_cases: list
) -> None:
    view = overview(person)
    todo = [s for s in view.steps if not s.optional][:count]
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
        if version.task["review"] and not last:
            services.accept_submission(submission, reviewer, "Gut nachvollziehbar – weiter so.")
        progress = services.progress_of(person, step.module_id)
        if progress.completed_at is not None:
            progress.completed_at = utcnow() - timedelta(days=rng.randint(1, 90))


def load_demo_progress(people: dict[str, Person], rng: random.Random, use_cases: list) -> None:
    reviewer = people["champion@muster.example"]
    anna = people["anna@muster.example"]
    _work_through(
        anna, 1, reviewer, rng, use_cases
    )  # one task waits for review; the next step is open
    for email, person in sorted(people.items()):
        if email in ("anna@muster.example", "neu@muster.example") or person is reviewer:
            continue
        if rng.random() < 0.75:
            _work_through(person, rng.randint(0, 7), reviewer, rng, use_cases)
    db.session.flush()
