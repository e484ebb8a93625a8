"""„Das Wichtigste in Kürze“ (``kurz:``): checked in the module format, stored with the version."""

import json

import pytest
import sqlalchemy as sa

from lernpfad.content.loader import split_front_matter
from lernpfad.content.models import ModuleVersion, summary_lines, summary_text
from lernpfad.content.services import read_content, sync_content
from lernpfad.content.validate import check_module
from lernpfad.extensions import db
from tests.content_factory import DIMENSIONS, module_text, write_content

SENTENCES = [
    "Sie können einen Auftrag an die KI klar formulieren.",
    "Sie prüfen jedes Ergebnis, bevor Sie es nutzen.",
    "Die eine Regel: Keine vertraulichen Daten in fremde Werkzeuge.",
]
FILE = "content/modules/g1.md"


def with_kurz(text: str, items, *, summary: str | None = None) -> str:
    """A module file (tests/content_factory.py) with ``items`` as its ``kurz:`` (None: without
    ``kurz:``), and with ``summary:`` if given."""
    lines = text.split("\n")
    at = lines.index("kurz:")
    end = at + 1
    while lines[end].startswith("- "):
        end += 1
    block = (
        []
        if items is None
        else ["kurz:"] + [f"  - {json.dumps(i, ensure_ascii=False)}" for i in items]
    )
    if summary is not None:
        block.append(f"summary: {summary}")
    lines[at:end] = block
    return "\n".join(lines)


def problems_of(text: str) -> list[str]:
    meta, body, body_line = split_front_matter(text, FILE)
    return [
        f"{p.line}: {p.reason}" for p in check_module(meta, body, body_line, FILE, set(DIMENSIONS))
    ]


BASE = module_text("g1", "grundlagen", 1, [], False)


def line_of_kurz(text: str, index: int) -> int:
    return text.split("\n").index("kurz:") + 2 + index


@pytest.mark.parametrize(
    ("items", "reason"),
    [
        (SENTENCES, None),
        (SENTENCES + ["Ein vierter Satz.", "Ein fünfter Satz!"], None),
        (["Gilt das z. B. für Sie?", *SENTENCES[1:]], None),  # an abbreviation is no sentence end
        (SENTENCES[:2], "„kurz“ braucht 3 bis 5 Sätze, nicht 2"),
        (SENTENCES * 2, "„kurz“ braucht 3 bis 5 Sätze, nicht 6"),
        (
            [*SENTENCES[:2], "Zwei Sätze. In einem Eintrag."],
            "„kurz“: jeder Eintrag muss genau ein Satz sein",
        ),
        (
            [*SENTENCES[:2], "Ohne Schlusszeichen"],
            "„kurz“: ein Satz endet mit Punkt, Ausrufe- oder Fragezeichen",
        ),
        ([*SENTENCES[:2], ""], "„kurz“: jeder Eintrag muss ein Satz (Text) sein"),
        ([*SENTENCES[:2], 42], "„kurz“: jeder Eintrag muss ein Satz (Text) sein"),
    ],
)
def test_kurz_is_three_to_five_sentences(items, reason):
    text = with_kurz(BASE, items)
    found = problems_of(text)
    if reason is None:
        assert found == []
    elif "braucht" in reason:
        assert found == [f"{line_of_kurz(text, -1)}: {reason}"]
    else:
        assert found == [f"{line_of_kurz(text, 2)}: {reason}"]


def test_kurz_must_be_a_list():
    text = with_kurz(BASE, None).replace("title: Modul g1", "title: Modul g1\nkurz: Ein Satz.")
    assert problems_of(text) == ["4: „kurz“ muss eine Liste sein"]


def test_kurz_is_required_and_summary_is_not():
    assert problems_of(with_kurz(BASE, None)) == ["2: Pflichtfeld „kurz“ fehlt"]
    assert problems_of(with_kurz(BASE, SENTENCES, summary="Ein älterer Text.")) == []


@pytest.fixture
def tree(tmp_path):
    return write_content(tmp_path / "content")


def test_module_without_kurz_is_not_imported(tree):
    path = tree / "modules" / "g1.md"
    path.write_text(with_kurz(path.read_text(encoding="utf-8"), None), encoding="utf-8")
    bundle = read_content(tree)
    assert "content/modules/g1.md:2: Pflichtfeld „kurz“ fehlt" in map(str, bundle.problems)
    assert "g1" not in bundle.modules


def test_summary_text_and_lines():
    assert summary_text({"kurz": ["Eins.", "Zwei  mit\nUmbruch.", "Drei."], "summary": "alt"}) == (
        "Eins.\nZwei mit Umbruch.\nDrei."
    )
    assert summary_text({"summary": "Ein älterer Text."}) == "Ein älterer Text."
    assert summary_lines("Eins.\nZwei.\n") == ["Eins.", "Zwei."]
    assert summary_lines("") == []


def test_sync_stores_the_sentences_as_the_summary(app, tree):
    path = tree / "modules" / "g1.md"
    path.write_text(
        with_kurz(path.read_text(encoding="utf-8"), SENTENCES, summary="Ein älterer Text."),
        encoding="utf-8",
    )
    with app.app_context():
        sync_content(tree)
        db.session.commit()
        versions = {
            v.module_id: v
            for v in db.session.scalars(sa.select(ModuleVersion).where(ModuleVersion.is_current))
        }
        assert versions["g1"].summary_box == SENTENCES  # kurz: wins over summary:
        assert versions["w1"].summary_box[0] == "Sie kennen die Grundlagen von w1."
