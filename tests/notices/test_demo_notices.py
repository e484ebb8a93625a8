"""The demo company's notices tell the same story as its records: Anna has a session to confirm
(unread), the others' notices came after what they tell of and were read after they came."""

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import Person
from lernpfad.extensions import db
from lernpfad.notices.models import Notice
from tests.test_text_quality import demo_app  # noqa: F401 (the demo company, once per module)


@pytest.fixture
def demo(request):
    app = request.getfixturevalue("demo_app")
    with app.app_context():
        yield app


def test_anna_has_a_session_to_confirm(demo):
    anna = db.session.scalar(sa.select(Person).where(Person.email == "anna@muster.example"))
    unread = db.session.scalars(
        sa.select(Notice).where(Notice.person_id == anna.id, Notice.read_at.is_(None))
    ).all()
    assert [n.kind for n in unread] == ["session_to_confirm"]


def test_notices_are_read_after_they_came(demo):
    notices = db.session.scalars(sa.select(Notice)).all()
    assert len(notices) > 10 and {n.kind for n in notices} == {"session_to_confirm", "reviewed"}
    for notice in notices:
        assert notice.read_at is None or notice.created_at <= notice.read_at
