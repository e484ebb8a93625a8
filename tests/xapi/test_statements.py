"""Every statement the app builds for the demo company (quiz passes and fails, hand-ins and
reviews, exams passed and failed, certificates) passes the independent parser (the tincan
package) and the specification's rules (tests/xapi/spec.py), and gives nobody away."""

import json
from collections import Counter

import pytest
import sqlalchemy as sa
import tincan

from lernpfad import create_app
from lernpfad.auth.models import Person
from lernpfad.certification.models import ExamAttempt
from lernpfad.content.models import ModuleVersion
from lernpfad.demo import load_demo
from lernpfad.extensions import db
from lernpfad.xapi import services
from lernpfad.xapi.models import XapiActor
from tests import conftest
from tests.xapi.conftest import add_history
from tests.xapi.spec import problems

BASE_URL = "https://lernpfad.example.de"


@pytest.fixture(scope="module")
def demo(tmp_path_factory, server_database):
    folder = tmp_path_factory.mktemp("xapi-demo")
    url = server_database or f"sqlite:///{folder / 'demo.sqlite3'}"
    app = create_app(
        conftest.test_config(url, BASE_URL=BASE_URL, ALLOWED_HOSTS="localhost"),
        instance_path=str(folder / "instance"),
    )
    with app.app_context():
        db.create_all()
        people = load_demo(app.config["CONTENT_DIR"], staff_per_department=4)
        # The demo company's learners all pass; two of them get failed quiz attempts, a
        # returned hand-in, a failed and an expired exam and a certificate besides.
        modules = db.session.scalars(
            sa.select(ModuleVersion.module_id).where(ModuleVersion.is_current).limit(2)
        ).all()
        for person, module_id in zip(list(people.values())[-2:], modules, strict=True):
            add_history(person.id, module_id=module_id)
        db.session.commit()
        services.ensure_all_actors()
        db.session.commit()
        statements = list(services.company_statements())
        yield app, statements
        db.session.remove()
        if server_database:
            conftest.empty_tables()
        db.engine.dispose()


def kind_of(statement: dict) -> str:
    """module, quiz, task, certification or exam, from the activity's IRI."""
    parts = statement["object"]["id"].split("/xapi/activities/")[1].split("/")
    return parts[2] if len(parts) == 3 else parts[0]


def test_the_demo_company_gives_every_kind_of_statement(demo):
    _app, statements = demo
    kinds = Counter((kind_of(s), s["verb"]["id"].rsplit("/")[-1]) for s in statements)
    verbs = Counter(s["verb"]["id"].rsplit("/")[-1] for s in statements)
    assert set(verbs) == {"attempted", "completed", "passed", "failed"}, verbs
    assert kinds[("module", "completed")] > 20
    objects = Counter(s["object"]["definition"]["type"].rsplit("/")[-1] for s in statements)
    assert {"module", "assessment", "performance", "course"} <= set(objects), objects
    for kind in ("quiz", "task", "exam"):
        assert {"passed", "failed"} <= {verb for k, verb in kinds if k == kind}, kind
    assert kinds[("module", "attempted")] > kinds[("module", "completed")]
    assert kinds[("certification", "passed")] >= 3


def test_every_statement_keeps_the_specification(demo):
    _app, statements = demo
    assert len(statements) > 200
    for statement in statements:
        assert problems(statement) == [], statement


def test_every_statement_parses_with_the_independent_tincan_library(demo):
    _app, statements = demo
    for statement in statements:
        parsed = tincan.Statement.from_json(json.dumps(statement))
        assert str(parsed.id) == statement["id"]
        assert parsed.verb.id == statement["verb"]["id"]
        assert parsed.actor.account.name == statement["actor"]["account"]["name"]
        assert parsed.actor.account.home_page == BASE_URL
        assert parsed.actor.mbox is None
        assert parsed.object.id == statement["object"]["id"]
        assert parsed.timestamp.utcoffset().total_seconds() == 0
        if "result" in statement and "score" in statement["result"]:
            assert parsed.result.score.scaled == statement["result"]["score"]["scaled"]
            assert parsed.result.success is statement["result"]["success"]
        back = json.loads(parsed.to_json())
        assert back["verb"]["display"] == statement["verb"]["display"]


def test_ids_are_unique_and_the_same_on_every_build(demo):
    app, statements = demo
    ids = [s["id"] for s in statements]
    assert len(ids) == len(set(ids))
    with app.app_context():
        again = list(services.company_statements())
    assert again == statements


def test_nobody_is_given_away_neither_address_nor_database_id(demo):
    app, statements = demo
    with app.app_context():
        people = db.session.execute(sa.select(Person.id, Person.email, Person.name)).all()
        pseudonyms = dict(db.session.execute(sa.select(XapiActor.person_id, XapiActor.name)).all())
    text = json.dumps(statements, ensure_ascii=False)
    for person_id, email, name in people:
        assert email not in text and name not in text
        assert pseudonyms[person_id] != str(person_id) and len(pseudonyms[person_id]) == 32
    names = {s["actor"]["account"]["name"] for s in statements}
    assert names <= set(pseudonyms.values())
    assert len(names) > 10


def test_a_persons_statements_are_theirs_alone_and_in_time_order(demo):
    app, statements = demo
    with app.app_context():
        person_id = db.session.scalar(
            sa.select(ExamAttempt.person_id).where(ExamAttempt.passed.is_(True)).limit(1)
        )
        mine = services.statements_of(db.session.get(Person, person_id))
        name = db.session.scalar(sa.select(XapiActor.name).where(XapiActor.person_id == person_id))
    assert mine and {s["actor"]["account"]["name"] for s in mine} == {name}
    assert [s["timestamp"] for s in mine] == sorted(s["timestamp"] for s in mine)
    assert sorted(s["id"] for s in mine) == sorted(
        s["id"] for s in statements if s["actor"]["account"]["name"] == name
    )
