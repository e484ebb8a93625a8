"""The content page's readability table: the figures measured at import, per module in use."""

import re

import pytest
import sqlalchemy as sa

from lernpfad.admin.services import readability_rows
from lernpfad.content.models import ContentDocument
from lernpfad.content.readability import figure
from lernpfad.content.services import sync_content
from lernpfad.extensions import db
from tests.content_factory import write_content
from tests.helpers import login_client

HARD = (
    "Nach sorgfältiger Überprüfung sämtlicher Tatsachenbehauptungen und Quellenangaben "
    "übermitteln Sie das Arbeitsergebnis unverzüglich an die verantwortliche Stelle."
)


@pytest.fixture
def tree(tmp_path):
    root = write_content(tmp_path / "content")
    (root / "readability.yaml").write_text(
        "flesch_minimum:\n  default: 0\n  paths:\n    anwender: 50\n", encoding="utf-8"
    )
    for module_id in ("g1", "w1", "q1"):  # hard to read; w2 stays easy
        path = root / "modules" / f"{module_id}.md"
        path.write_text(path.read_text(encoding="utf-8") + f"\n{HARD}\n", encoding="utf-8")
    anwender = root / "paths" / "anwender.yaml"
    text = anwender.read_text(encoding="utf-8")
    anwender.write_text(text.replace("- module: w2\n  required: true\n", ""), encoding="utf-8")
    return root


def sync(app, root):
    with app.app_context():
        record = sync_content(root)
        db.session.commit()
        return record and record.summary["changed"]


def rows_of(page: str) -> dict[str, list[str]]:
    """The readability table's rows by module id: the text of each cell."""
    table = page.split('id="lesbarkeit"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S):
        cells = [
            re.sub(r"<[^>]+>", " ", c).split()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        rows[cells[0][-1]] = [" ".join(c) for c in cells]
    return rows


def test_content_page_shows_figures_threshold_and_status(app, people, tree):
    assert "readability:default" in sync(app, tree)
    with app.app_context():
        measured = {row.module_id: row for row in readability_rows()}
    page = login_client(app, "admin@example.org").get("/betrieb/inhalte").get_data(as_text=True)
    rows = rows_of(page)
    assert set(rows) == {"g1", "w1", "w2", "q1"}
    g1 = measured["g1"]
    assert rows["g1"][1:] == [
        "Lernpfad Anwender",
        figure(g1.flesch),
        figure(g1.wstf),
        "50,0",
        "unter dem Mindestwert",
    ]
    assert rows["w2"][1] == "alle übrigen Module" and rows["w2"][4:] == ["0,0", "erreicht"]
    assert list(measured) == sorted(measured, key=lambda m: (measured[m].flesch, m))


def test_figures_are_measured_once_per_content(app, people, tree):
    sync(app, tree)
    assert sync(app, tree) is None  # nothing changed: nothing measured or stored again
    path = tree / "modules" / "w2.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nNoch ein Satz.\n", encoding="utf-8")
    assert set(sync(app, tree)) == {"module:w2", "readability:default"}
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).where(ContentDocument.kind == "readability")
            )
            == 2
        )


def test_a_module_imported_without_measuring_shows_as_not_measured(app, people, tree):
    sync(app, tree)
    (tree / "readability.yaml").unlink()
    path = tree / "modules" / "g1.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nNoch ein Satz.\n", encoding="utf-8")
    sync(app, tree)
    page = login_client(app, "admin@example.org").get("/betrieb/inhalte").get_data(as_text=True)
    rows = rows_of(page)
    assert rows["g1"][1:] == ["–", "–", "–", "–", "nicht gemessen"]
    assert rows["w1"][-1] == "unter dem Mindestwert"


def test_without_figures_every_module_is_not_measured(app, people, content):
    page = login_client(app, "admin@example.org").get("/betrieb/inhalte").get_data(as_text=True)
    assert {cells[-1] for cells in rows_of(page).values()} == {"nicht gemessen"}
