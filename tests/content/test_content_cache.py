"""Content kept per process under its content hash (content/cache.py): a changed file is a new
version with a new hash, so the pages show it at once after a sync; nothing is kept per person."""

import pytest

from lernpfad.auth.models import Person
from lernpfad.content.services import sync_content
from lernpfad.extensions import db
from lernpfad.paths.models import PathAssignment
from tests.content_factory import write_content
from tests.helpers import login_client


def replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def tree(tmp_path):
    return write_content(tmp_path / "own-content")


@pytest.fixture
def learner(app, people, tree):
    """The learner on the "anwender" path of a content tree this test may change."""
    with app.app_context():
        sync_content(tree)
        db.session.add(PathAssignment(person_id=people["learner"], role="anwender"))
        db.session.commit()
    return login_client(app, "learner@example.org")


def sync(app, tree):
    with app.app_context():
        assert sync_content(tree) is not None
        db.session.commit()


def test_the_module_page_shows_a_changed_module_at_once(app, learner, tree):
    page = learner.get("/module/g1").get_data(as_text=True)
    assert "Text von g1." in page and "Frage 1?" in page and "Worum es geht" in page
    replace(tree / "modules" / "g1.md", "Text von g1.", "Neuer Text von g1.")
    replace(tree / "modules" / "g1.md", "Frage 1?", "Eine neue Frage?")
    replace(tree / "modules" / "g1.md", "## Worum es geht", "## Worum es jetzt geht")
    sync(app, tree)
    page = learner.get("/module/g1").get_data(as_text=True)
    assert "Neuer Text von g1." in page and "Eine neue Frage?" in page
    assert 'href="#worum-es-jetzt-geht"' in page  # the table of contents follows the text
    assert "Frage 1?" not in page and 'href="#worum-es-geht"' not in page


def test_module_tables_are_labelled_in_the_reader_language(app, learner):
    assert 'aria-label="Tabelle 1"' in learner.get("/module/g1").get_data(as_text=True)
    learner.post("/sprache", data={"locale": "en", "next": "/"})
    page = learner.get("/module/g1").get_data(as_text=True)
    assert 'aria-label="Table 1"' in page and "Tabelle 1" not in page


def test_the_path_and_titles_follow_a_changed_path_and_module(app, learner, tree):
    page = learner.get("/lernpfad/").get_data(as_text=True)
    assert "Pfad anwender" in page and "Modul g1" in page
    replace(tree / "paths" / "anwender.yaml", "Pfad anwender", "Neuer Pfad")
    replace(tree / "modules" / "g1.md", "title: Modul g1", "title: Grundlagen eins")
    sync(app, tree)
    page = learner.get("/lernpfad/").get_data(as_text=True)
    assert "Neuer Pfad" in page and "Grundlagen eins" in page
    assert "Pfad anwender" not in page and "Modul g1" not in page
    assert "Grundlagen eins" in learner.get("/").get_data(as_text=True)  # the next step


def test_two_people_see_their_own_progress_on_the_same_content(app, learner, people):
    learner.post("/module/g1/abgabe", data={"text": "Erledigt.", "confirmed": "ja"})
    with app.app_context():
        hr = db.session.get(Person, people["hr"])
        db.session.add(PathAssignment(person_id=hr.id, role="anwender"))
        db.session.commit()
    other = login_client(app, "hr@example.org")
    mine = learner.get("/module/g1").get_data(as_text=True)
    theirs = other.get("/module/g1").get_data(as_text=True)
    assert "Ihre Abgabe vom" in mine and "Erledigt." in mine
    assert "Ihre Abgabe vom" not in theirs and "Erledigt." not in theirs
