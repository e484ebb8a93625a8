"""Demo results with a realistic spread: enthusiasts, hesitant users and the middle."""

import random
from datetime import timedelta

from lernpfad.assessments import scoring, services
from lernpfad.assessments.models import AssessmentAttempt, AssessmentResult
from lernpfad.auth.models import Person, Role
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.paths.models import PathAssignment
from lernpfad.paths.services import OFFERED, choose_champion_path

# (self-rating range, chance of a right answer)
PROFILES = {
    "enthusiast": ((3, 4), 0.55),
    "hesitant": ((0, 1), 0.4),
    "middle": ((1, 3), 0.65),
    "expert": ((3, 4), 0.95),
}


def _answers(
    definition: dict, profile: str, rng: random.Random, function: str, volunteer: bool, hours: int
) -> dict:
    (low, high), right_chance = PROFILES[profile]
    ratings = {s["id"]: rng.randint(low, high) for s in definition["statements"]}
    answers = {}
    for question in definition["questions"]:
        if rng.random() < right_chance:
            answers[question["id"]] = sorted(question["correct"])
        else:
            wrong = [i for i in range(len(question["options"])) if i not in question["correct"]]
            answers[question["id"]] = [rng.choice(wrong)]
    return {
        "function": function,
        "ratings": ratings,
        "answers": answers,
        "volunteer": volunteer,
        "hours": hours,
    }


def _fixed_answers(definition: dict, rating: int, right_per_dimension: int, function: str) -> dict:
    """Answers with one rating everywhere and the first n questions of each dimension right."""
    answers, seen = {}, {}
    for question in definition["questions"]:
        index = seen[question["dimension"]] = seen.get(question["dimension"], 0) + 1
        if index <= right_per_dimension:
            answers[question["id"]] = sorted(question["correct"])
        else:
            answers[question["id"]] = [
                next(i for i in range(len(question["options"])) if i not in question["correct"])
            ]
    ratings = {s["id"]: rating for s in definition["statements"]}
    return {
        "function": function,
        "ratings": ratings,
        "answers": answers,
        "volunteer": False,
        "hours": 1,
    }


def _attempt(person: Person, definition, answers: dict, when) -> AssessmentAttempt:
    """A fully answered attempt, finished ``when`` after a quarter of an hour."""
    return AssessmentAttempt(
        person_id=person.id,
        assessment_key=definition.key,
        assessment_hash=definition.content_hash,
        answers=answers,
        next_step=5,
        started_at=when - timedelta(minutes=14),
        updated_at=when,
    )


def _take(person: Person, definition, answers: dict, days_ago: int) -> None:
    when = utcnow() - timedelta(days=days_ago)
    attempt = _attempt(person, definition, answers, when)
    db.session.add(attempt)
    db.session.flush()
    services.complete(attempt, definition.data, now=when)


def function_for(person: Person) -> str:
    if person.has_role(Role.LEADERSHIP):
        return "geschaeftsfuehrung"
    if person.has_role(Role.DEPARTMENT_HEAD):
        return "leitung"
    return "fachkraft"


def load_demo_assessments(people: dict[str, Person], rng: random.Random) -> None:
    """Results for everyone but neu@; anna@ has two results months apart."""
    definition = services.current_definition()
    if definition is None:
        return
    data = definition.data
    anna = people["anna@muster.example"]
    # Anna grew from level 0 to level 1 everywhere: a visible change in her history, and a path
    # with open modules from level 2 on.
    _take(anna, definition, _fixed_answers(data, 0, 0, "fachkraft"), days_ago=200)
    _take(anna, definition, _fixed_answers(data, 1, 1, "fachkraft"), days_ago=45)
    champion = people["champion@muster.example"]
    _take(champion, definition, _answers(data, "expert", rng, "fachkraft", True, 3), days_ago=120)
    choose_champion_path(champion, True)  # offered by the assessment, taken up by her
    skip = {"anna@muster.example", "champion@muster.example", "neu@muster.example"}
    others = [p for email, p in sorted(people.items()) if email not in skip]
    rows = []
    for index, person in enumerate(others):
        if index % 9 == 8:
            continue  # some have not taken it yet
        roll = rng.random()
        profile = "enthusiast" if roll < 0.3 else "hesitant" if roll < 0.65 else "middle"
        volunteer = profile == "enthusiast" and rng.random() < 0.5
        hours = rng.choice([2, 3, 4]) if volunteer else rng.choice([0, 0, 1])
        answers = _answers(data, profile, rng, function_for(person), volunteer, hours)
        rows.extend(_completed(person, definition, answers, rng.randint(10, 300)))
    db.session.add_all(rows)
    db.session.flush()


def _completed(person: Person, definition, answers: dict, days_ago: int) -> list:
    """What _take stores for a person without an earlier result or path (attempt, result, path
    assignment), scored by the same rules but without a query or flush: the company may have
    thousands of people."""
    when = utcnow() - timedelta(days=days_ago)
    attempt = _attempt(person, definition, answers, when)
    attempt.completed_at = when
    scores = scoring.score_dimensions(definition.data, answers["ratings"], answers["answers"])
    levels = {dim: score.level for dim, score in scores.items()}
    base = scoring.base_role(definition.data, answers["function"])
    champion = scoring.qualifies_for_champion_path(
        volunteered=answers["volunteer"], hours=answers["hours"], levels=levels, nominated=False
    )
    result = AssessmentResult(
        person_id=person.id,
        attempt=attempt,
        assessment_hash=definition.content_hash,
        completed_at=when,
        base_role=base,
        path_role="champion" if champion else base,
        levels=levels,
        details={dim: score.as_dict() for dim, score in scores.items()},
        volunteered=answers["volunteer"],
        hours=answers["hours"],
    )
    path = PathAssignment(
        person_id=person.id,
        role=base,
        source="assessment",
        champion_choice=OFFERED if champion else None,
    )
    return [attempt, result, path]
