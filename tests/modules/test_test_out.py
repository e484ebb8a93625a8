"""Test-out: a module whose level the learner already reaches is completed by passing its quiz
at the first try, with the quiz as evidence; a failed first try makes it an ordinary step."""

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import Person
from lernpfad.extensions import db
from lernpfad.modules import rules
from lernpfad.modules.models import ModuleProgress
from tests.helpers import login_client
from tests.reports.test_pages import assess

RIGHT = {f"q-{i}": "0" for i in range(5)}
WRONG = {**RIGHT, "q-0": "1", "q-1": "1"}


@pytest.fixture
def expert(app, people, content):
    """The learner, with a self-assessment at level 4 everywhere: g1 (level 1) is mastered."""
    from lernpfad.paths.services import assign_from_assessment

    with app.app_context():
        learner = db.session.get(Person, people["learner"])
        assess(learner, 4)
        assign_from_assessment(learner, "anwender", champion=False)
        db.session.commit()
    return login_client(app, "learner@example.org")


def g1(app):
    with app.app_context():
        row = db.session.scalar(sa.select(ModuleProgress).where(ModuleProgress.module_id == "g1"))
        return (row.state, row.tested_out, row.quiz_attempts, row.completed_at is not None)


def test_passing_at_the_first_try_completes_a_mastered_module(app, expert):
    page = expert.get("/module/g1").get_data(as_text=True)
    assert "beim ersten Versuch" in page and "ohne Praxisaufgabe" in page
    expert.post("/module/g1/quiz", data=RIGHT)
    assert g1(app) == ("abgeschlossen", True, 1, True)
    assert "Per Test-out abgeschlossen" in expert.get("/module/g1").get_data(as_text=True)


def test_a_failed_first_try_makes_it_an_ordinary_step(app, expert):
    expert.post("/module/g1/quiz", data=WRONG)
    expert.post("/module/g1/quiz", data=RIGHT)
    assert g1(app) == ("in_bearbeitung", False, 2, False)  # the practical task is still to do
    path = expert.get("/lernpfad/").get_data(as_text=True)
    link = path.index('href="/module/g1"')
    step = path[path.rindex("<li", 0, link) : path.index("</li>", link)]
    assert "bereits beherrscht" not in step


def test_without_mastery_a_first_try_pass_is_just_a_passed_quiz(app, people, content):
    learner = login_client(app, "learner@example.org")  # no assessment: nothing mastered
    learner.post("/module/g1/quiz", data=RIGHT)
    assert g1(app) == ("in_bearbeitung", False, 1, False)


@pytest.mark.parametrize(
    ("mastered", "mandatory", "earlier", "passed", "tests_out"),
    [
        (True, False, 0, True, True),
        (True, False, 1, True, False),  # not at the first try
        (True, True, 0, True, False),  # mandatory: never by test-out
        (False, False, 0, True, False),
        (True, False, 0, False, False),
    ],
)
def test_tests_out(mastered, mandatory, earlier, passed, tests_out):
    assert (
        rules.tests_out(
            mastered=mastered, mandatory=mandatory, earlier_attempts=earlier, passed=passed
        )
        is tests_out
    )


def test_the_test_out_event():
    done = rules.apply(rules.Progress(rules.IN_PROGRESS), rules.TEST_OUT)
    assert done == rules.Progress(rules.COMPLETED, quiz_passed=True, task_accepted=False)
    with pytest.raises(rules.InvalidTransition):
        rules.apply(rules.Progress(rules.SUBMITTED), rules.TEST_OUT)
