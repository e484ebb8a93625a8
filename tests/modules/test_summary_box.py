"""„Das Wichtigste in Kürze“: a labelled box above the module text; its first sentence stands
for the module on the learning path."""

from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import Person
from lernpfad.content.models import ModuleVersion
from lernpfad.content.services import sync_content
from lernpfad.extensions import db
from tests.content.test_summary_box import SENTENCES, with_kurz
from tests.content_factory import write_content
from tests.helpers import login_client
from tests.reports.test_pages import assess


class Box(HTMLParser):
    """The region labelled by its heading: its heading text and its list items, and whether it
    comes before the module text (the article)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.region: dict | None = None
        self.heading_id = None
        self.heading = ""
        self.items: list[str] = []
        self.paragraph = ""
        self.before_article = None
        self._in = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("class") == "summary-box":
            self.region = attrs
            self._depth = 1
            self.before_article = True
            return
        if tag == "article" and self.before_article is None:
            self.before_article = False
        if self._depth:
            if tag == "section":
                self._depth += 1
            if tag == "h2":
                self.heading_id = attrs.get("id")
            self._in = tag
            if tag == "li":
                self.items.append("")

    def handle_endtag(self, tag):
        if self._depth and tag == "section":
            self._depth -= 1
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if not self._depth:
            return
        if self._in == "h2":
            self.heading += data
        elif self._in == "li":
            self.items[-1] += data
        elif self._in == "p":
            self.paragraph += data


def box_of(page: str) -> Box:
    box = Box()
    box.feed(page)
    return box


@pytest.fixture
def kurz_content(app, tmp_path):
    """The test content with these „kurz:“ sentences in module g1."""
    root = write_content(tmp_path / "content")
    path = root / "modules" / "g1.md"
    path.write_text(with_kurz(path.read_text(encoding="utf-8"), SENTENCES), encoding="utf-8")
    with app.app_context():
        sync_content(root)
        db.session.commit()
    return root


def test_module_page_shows_the_box_above_the_text(app, people, kurz_content):
    page = login_client(app, "learner@example.org").get("/module/g1").get_data(as_text=True)
    box = box_of(page)
    assert box.region is not None, "no summary box"
    assert box.region["aria-labelledby"] == box.heading_id
    assert box.heading == "Das Wichtigste in Kürze"
    assert box.items == SENTENCES
    assert box.before_article is True


def test_an_older_version_shows_its_summary_in_the_box(app, people, kurz_content):
    """A version imported before „kurz:“ holds its „summary:“ text: one paragraph in the box."""
    with app.app_context():
        db.session.execute(
            sa.update(ModuleVersion)
            .where(ModuleVersion.module_id == "w1")
            .values(summary="Ein älterer Text in ein bis zwei Sätzen.")
        )
        db.session.commit()
    page = login_client(app, "learner@example.org").get("/module/w1").get_data(as_text=True)
    box = box_of(page)
    assert box.items == [] and box.paragraph == "Ein älterer Text in ein bis zwei Sätzen."
    assert page.count("Ein älterer Text") == 1  # no second copy as a lead paragraph


def test_box_text_is_escaped(app, people, tmp_path):
    root = write_content(tmp_path / "content")
    path = root / "modules" / "g1.md"
    evil = [*SENTENCES[:2], "Sie schreiben nie <script>alert(1)</script> in einen Auftrag."]
    path.write_text(with_kurz(path.read_text(encoding="utf-8"), evil), encoding="utf-8")
    with app.app_context():
        sync_content(root)
        db.session.commit()
    page = login_client(app, "learner@example.org").get("/module/g1").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert box_of(page).items[2] == evil[2]


def test_learning_path_shows_the_first_sentence_per_step(app, people, kurz_content):
    from lernpfad.paths.services import assign_from_assessment

    with app.app_context():
        learner = db.session.get(Person, people["learner"])
        assess(learner, 0)
        assign_from_assessment(learner, "anwender", champion=False)
        db.session.commit()
    path = login_client(app, "learner@example.org").get("/lernpfad/").get_data(as_text=True)
    link = path.index('href="/module/g1"')
    step = path[path.rindex("<li", 0, link) : path.index("</li>", link)]
    assert f'<span class="path-step__summary muted">{SENTENCES[0]}</span>' in step
    assert SENTENCES[1] not in path
    assert "Sie kennen die Grundlagen von w1." in path
