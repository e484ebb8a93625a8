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


def with_kurz(text: str, items, *, keep_summary: bool = False) -> str:
    """A module file with ``kurz:`` instead of (or besides) ``summary:``."""
    block = "kurz:\n" + "".join(f"  - {json.dumps(item, ensure_ascii=False)}\n" for item in items)
    lines = text.split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith("summary:"))
    lines[at : at + 1] = ([lines[at]] if keep_summary else []) + block.rstrip("\n").split("\n")
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
    text = BASE.replace("summary: Zusammenfassung g1.", "kurz: Ein Satz.")
    assert problems_of(text) == ["4: „kurz“ muss eine Liste sein"]


def test_summary_is_needed_only_without_kurz():
    assert problems_of(with_kurz(BASE, SENTENCES)) == []
    without_both = BASE.replace("summary: Zusammenfassung g1.\n", "")
    assert problems_of(without_both) == ["2: Pflichtfeld „summary“ fehlt"]


@pytest.fixture
def tree(tmp_path):
    return write_content(tmp_path / "content")


def test_missing_kurz_is_a_note_for_now(tree):
    path = tree / "modules" / "g1.md"
    path.write_text(with_kurz(path.read_text(encoding="utf-8"), SENTENCES), encoding="utf-8")
    bundle = read_content(tree)
    assert bundle.problems == []
    assert [str(w) for w in bundle.warnings] == [
        f"content/modules/{m}.md:2: „kurz“ fehlt: 3 bis 5 Sätze „Das Wichtigste in Kürze“"
        for m in ("q1", "w1", "w2")
    ]
    assert "g1" in bundle.modules


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
        with_kurz(path.read_text(encoding="utf-8"), SENTENCES, keep_summary=True), encoding="utf-8"
    )
    with app.app_context():
        sync_content(tree)
        db.session.commit()
        versions = {
            v.module_id: v
            for v in db.session.scalars(sa.select(ModuleVersion).where(ModuleVersion.is_current))
        }
        assert versions["g1"].summary_box == SENTENCES  # kurz: wins over summary:
        assert versions["w1"].summary_box == ["Zusammenfassung w1."]
