"""The columns the reports read instead of every result (reports.tracking), and the publication
check that compares only people changed since a group's check point (reports.figures)."""

import copy
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import Person
from lernpfad.content.models import ModuleVersion
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.modules.models import ModuleProgress
from lernpfad.reports import figures, tracking
from lernpfad.reports.models import PublicationMember, ReportPublication
from tests.content_factory import DIMENSIONS
from tests.helpers import make_person
from tests.reports.test_pages import assess

KEYS = list(DIMENSIONS)


def result(person, level, completed_at=None):
    row = assess(person, level, completed_at)
    db.session.flush()
    return row


def stored(person_id):
    """The person's columns as the database holds them."""
    return db.session.execute(
        sa.select(Person.current_result_id, Person.group_changed_at, Person.completed_modules)
        .where(Person.id == person_id)
        .execution_options(populate_existing=True)
    ).one()


def recomputed():
    """Every person's columns as tracking.rebuild would set them, without writing them."""
    latest = tracking.latest_result_id(Person.id)
    return dict(
        (pid, (rid, done))
        for pid, rid, done in db.session.execute(
            sa.select(Person.id, latest, tracking.completed_count(Person.id))
        )
    )


def columns():
    return dict(
        (pid, (rid, done))
        for pid, rid, done in db.session.execute(
            sa.select(Person.id, Person.current_result_id, Person.completed_modules)
        )
    )


def test_the_current_result_follows_every_new_result_by_completion_time(app):
    with app.app_context():
        person = make_person("k@example.org")
        assert stored(person.id)[0] is None
        first = result(person, 1)
        assert stored(person.id)[0] == first.id == person.current_result_id
        # A result stored later but completed earlier (imported history) does not replace it.
        result(person, 3, completed_at=utcnow() - timedelta(days=30))
        assert stored(person.id)[0] == first.id
        newer = result(person, 2)
        assert stored(person.id)[0] == newer.id
        db.session.commit()
        assert columns() == recomputed()


@pytest.mark.parametrize(
    "change, stamped",
    [
        (lambda p, other: setattr(p, "active", False), True),
        (lambda p, other: setattr(p, "department", other), True),
        (lambda p, other: setattr(p, "department_id", other.id), True),
        (lambda p, other: setattr(p, "name", "Neuer Name"), False),
        (lambda p, other: setattr(p, "job_function", "Einkauf"), False),
        (lambda p, other: setattr(p, "locale", "en"), False),
    ],
)
def test_a_change_of_group_standing_is_stamped_and_nothing_else(app, change, stamped):
    with app.app_context():
        person = make_person("k@example.org")
        other = make_person("e@example.org", department_name="Einkauf").department
        past = utcnow() - timedelta(days=3)
        person.group_changed_at = past
        db.session.commit()
        change(db.session.get(Person, person.id), other)
        db.session.commit()
        assert (stored(person.id)[1] > past) is stamped


def test_the_completed_modules_count_follows_every_change_of_state(app, content):
    with app.app_context():
        person = make_person("k@example.org")
        version = db.session.scalars(sa.select(ModuleVersion)).first()

        def row(state):
            item = ModuleProgress(
                person_id=person.id, module_id=version.module_id, version_id=version.id
            )
            item.state = state
            return item

        done = row("abgeschlossen")
        db.session.add(done)
        db.session.flush()
        assert stored(person.id)[2] == 1
        done.state = "eingereicht"  # e.g. a correction by a reviewer
        db.session.flush()
        assert stored(person.id)[2] == 0
        done.state = "abgeschlossen"
        db.session.flush()
        done.quiz_attempts = 3  # another column: the count stays
        db.session.flush()
        assert stored(person.id)[2] == 1
        db.session.delete(done)
        db.session.flush()
        assert stored(person.id)[2] == 0
        db.session.commit()
        assert columns() == recomputed()


def test_rebuild_sets_the_columns_a_bulk_load_left_out(app):
    with app.app_context():
        person = make_person("k@example.org")
        newest = result(person, 2)
        db.session.execute(sa.update(Person).values(current_result_id=None, completed_modules=7))
        db.session.commit()
        tracking.rebuild(db.session.connection())
        db.session.commit()
        assert stored(person.id)[0] == newest.id and stored(person.id)[2] == 0
        assert columns() == recomputed()


def department_of(email):
    return db.session.scalar(sa.select(Person).where(Person.email == email)).department_id


def publish_einkauf(min_group=5):
    dept = department_of("k0@example.org")
    key = figures.group_key(dept)
    found = figures.publications([key]).get(key)
    publication = figures.refresh_publication(key, dept, found, KEYS, min_group)
    db.session.commit()
    return publication, dept


def test_a_department_publishes_after_five_changes_however_many_others_changed(app):
    with app.app_context():
        for n in range(8):
            assess(make_person(f"k{n}@example.org", department_name="Einkauf"), 1)
        db.session.commit()
        first, dept = publish_einkauf()
        before = copy.deepcopy(first.figures)  # the row itself changes with the next step
        assert before["n"] == 8
        step_key = first.group_key
        members = set(
            db.session.scalars(
                sa.select(PublicationMember.person_id).where(
                    PublicationMember.group_key == step_key
                )
            )
        )
        assert len(members) == 8
        # Three colleagues repeat their assessment: not enough.
        for n in range(3):
            assess(
                db.session.scalar(sa.select(Person).where(Person.email == f"k{n}@example.org")), 3
            )
        db.session.commit()
        step, _ = publish_einkauf()
        assert step.figures == before
        # Sixty people elsewhere change: the check point moves past them, and the three stay
        # counted (drift) although their changes are older than the check point now.
        for n in range(60):
            assess(make_person(f"v{n}@example.org", department_name="Vertrieb"), 2)
        db.session.commit()
        step, _ = publish_einkauf()
        assert step.figures == before
        assert sorted(step.drift) == sorted(
            p.id
            for p in db.session.scalars(
                sa.select(Person).where(Person.email.in_([f"k{n}@example.org" for n in range(3)]))
            )
        )
        checked = step.checked_at
        changes = figures.changed_members({step.group_key: (step, dept)})[step.group_key]
        assert len(changes[0]) == 3 and len(changes[1]) == 3  # only the drift is compared again
        # One leaves the department, one comes back after leaving: one change, not two.
        leaving = db.session.scalar(sa.select(Person).where(Person.email == "k7@example.org"))
        leaving.active = False
        back = db.session.scalar(sa.select(Person).where(Person.email == "k6@example.org"))
        back.active = False
        db.session.flush()
        back.active = True
        db.session.commit()
        step, _ = publish_einkauf()
        assert step.figures == before and step.checked_at == checked
        # The fifth change publishes: 3 repeated, 1 left, 1 new.
        assess(make_person("k8@example.org", department_name="Einkauf"), 4)
        db.session.commit()
        after, _ = publish_einkauf()
        assert after.figures != before and after.figures["n"] == 8
        assert after.drift == [] and after.checked_at == after.published_at


def test_only_changes_since_the_check_point_are_compared(app):
    """What a page compares does not grow with the company: after a publication, nobody."""
    with app.app_context():
        for n in range(6):
            assess(make_person(f"k{n}@example.org", department_name="Einkauf"), 1)
        for n in range(80):
            assess(make_person(f"v{n}@example.org", department_name="Vertrieb"), 2)
        db.session.commit()
        publication, dept = publish_einkauf()
        changes = figures.changed_members({publication.group_key: (publication, dept)})
        assert changes[publication.group_key] == ([], [])
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportPublication)) == 1
