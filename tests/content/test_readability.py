"""Readability: the prose a module is measured on, the sentences, the figures (German Flesch
after Amstad, Wiener Sachtextformel), the thresholds per audience and the check's warnings."""

from pathlib import Path

import pytest
from textstat.backend import counts, metrics

from lernpfad.cli import lernpfad_cli
from lernpfad.content.loader import LineDict, Problem, load_yaml
from lernpfad.content.readability import (
    ModuleReadability,
    Readability,
    Sentence,
    Thresholds,
    below_threshold_warnings,
    measure,
    minimum_for,
    module_readability,
    prose_blocks,
    sentences,
)
from lernpfad.content.services import read_content
from lernpfad.content.validate import check_readability
from tests.content_factory import write_content

PROSE = [
    pytest.param(
        "Ein Satz\nüber zwei Zeilen.\n\nNoch einer.",
        [(1, "Ein Satz über zwei Zeilen."), (4, "Noch einer.")],
        id="paragraphs",
    ),
    pytest.param(
        "## Überschrift\n\nText.\n\n### Unter\nMehr.",
        [(3, "Text."), (6, "Mehr.")],
        id="headings-out",
    ),
    pytest.param(
        "Vorher.\n\n```text\nFormuliere das um.\n```\n\n~~~\ncode\n~~~\nNachher.",
        [(1, "Vorher."), (10, "Nachher.")],
        id="fenced-code-out",
    ),
    pytest.param(
        "Davor.\n\n| A | B |\n|---|---|\n| Zelle eins | zwei |\n\nDanach.",
        [(1, "Davor."), (7, "Danach.")],
        id="tables-out",
    ),
    pytest.param(
        "Liste:\n\n- erstens\n- **zweitens** mit Text\n  weiter\n1. drittens",
        [(1, "Liste:"), (3, "erstens"), (4, "zweitens mit Text weiter"), (6, "drittens")],
        id="list-items-own-blocks",
    ),
    pytest.param(
        '!!! tip "Praxistipp"\n    Ein Tipp für Sie.',
        [(2, "Ein Tipp für Sie.")],
        id="admonition-title-out",
    ),
    pytest.param(
        "Siehe [das Modul](modul:g1) und [die Seite](https://example.org/x).",
        [(1, "Siehe das Modul und die Seite.")],
        id="links-keep-text",
    ),
    pytest.param(
        "Bild ![Alt](bild.png) und https://example.org/lang hier.",
        [(1, "Bild und hier.")],
        id="images-urls-out",
    ),
    pytest.param(
        "Schreiben Sie `Rolle:` an den *Anfang*.",
        [(1, "Schreiben Sie an den Anfang.")],
        id="inline-code-emphasis",
    ),
    pytest.param("> Ein Zitat\n> geht weiter.", [(1, "Ein Zitat geht weiter.")], id="blockquote"),
    pytest.param(
        "Text:\n\n[[toolbox:gelb]]\n\nMehr [[toolbox]] dazu.",
        [(1, "Text:"), (5, "Mehr dazu.")],
        id="shortcodes-out",
    ),
    pytest.param(
        "<!-- Notiz\nder Redaktion -->\nText.", [(3, "Text.")], id="comment-out-lines-kept"
    ),
    pytest.param("---\n\nText.\n\n***", [(3, "Text.")], id="rules-out"),
]


@pytest.mark.parametrize(("body", "expected"), PROSE)
def test_prose_blocks(body, expected):
    assert prose_blocks(body) == expected


def test_prose_blocks_count_lines_from_the_body_start():
    assert prose_blocks("## Titel\n\nText.", first_line=40) == [(42, "Text.")]


SENTENCES = [
    ("Das gilt z. B. für alle. Danach mehr.", ["Das gilt z. B. für alle.", "Danach mehr."]),
    ("Nach Art. 4 Abs. 1 gilt das. Gut so.", ["Nach Art. 4 Abs. 1 gilt das.", "Gut so."]),
    ("Ab dem 2. Dezember 2027 gilt es. Ja.", ["Ab dem 2. Dezember 2027 gilt es.", "Ja."]),
    ("Im 2. Schritt prüfen Sie. Fertig.", ["Im 2. Schritt prüfen Sie.", "Fertig."]),
    ("Stimmt das? Ja! Gut.", ["Stimmt das?", "Ja!", "Gut."]),
    ("Sagen Sie „Kürzer.“ Oft genügt das.", ["Sagen Sie „Kürzer.“", "Oft genügt das."]),
    ("Ein Listenpunkt ohne Punkt", ["Ein Listenpunkt ohne Punkt"]),
    ("Bis 35 Mio. Euro sind möglich.", ["Bis 35 Mio. Euro sind möglich."]),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_sentences(text, expected):
    assert [s.text for s in sentences([(7, text)])] == expected
    assert {s.line for s in sentences([(7, text)])} == {7}


def test_german_flesch_is_amstads_formula():
    """textstat's German Flesch: 180 − ASL − 58.5 · ASW (Amstad), not the English 206.835 − …"""
    text = "Der Hund ist klein. Die Katze ist sehr groß. Wir gehen morgen zusammen spazieren."
    words = counts.count_words(text)
    syllables = counts.count_syllables(text, "de")
    sentence_count = counts.count_sentences(text)
    assert (words, sentence_count) == (14, 3)
    amstad = 180 - words / sentence_count - 58.5 * syllables / words
    assert measure(text).flesch == round(amstad, 1)


def test_wiener_sachtextformel_is_the_first_one():
    text = "Der Hund ist klein. Die Katze ist sehr groß. Wir gehen morgen zusammen spazieren."
    words = counts.count_words(text)
    ms = 100 * counts.count_polysyllable_words(text, "de") / words
    sl = words / 3
    iw = 100 * counts.count_long_words(text) / words
    es = 100 * counts.count_monosyllable_words(text, "de") / words
    expected = 0.1935 * ms + 0.1672 * sl + 0.1297 * iw - 0.0327 * es - 0.875
    assert measure(text).wstf == round(expected, 1)


def test_abbreviations_do_not_end_sentences_for_the_figure():
    """„z. B.“ inside a sentence is one sentence for the figure; textstat alone would count
    „Das gilt z.“ as a sentence of its own and flatter the text."""
    text = "Das gilt z. B. für alle Kunden im Haus."
    found = measure(text)
    assert len(found.sentences) == 1
    assert found.flesch == measure("Das gilt z B für alle Kunden im Haus.").flesch
    assert found.flesch < round(metrics.flesch_reading_ease(text, "de"), 1)


def test_code_and_tables_do_not_change_the_figure():
    prose = "Sie prüfen jede Antwort. Erst dann geben Sie sie weiter."
    extra = "\n\n```text\nEin sehr langer Befehl mit vielen außergewöhnlich komplizierten Wörtern\n```\n\n| Spalte | Dokumentationsverpflichtung |\n|---|---|\n| a | b |\n"
    assert measure(prose + extra).flesch == measure(prose).flesch


def test_longer_sentences_and_longer_words_read_harder():
    easy = measure("Sie lesen den Text. Sie prüfen die Fakten. Dann geben Sie ihn weiter.")
    hard = measure(
        "Nach sorgfältiger Überprüfung sämtlicher Tatsachenbehauptungen und "
        "Quellenangaben übermitteln Sie das Arbeitsergebnis an die verantwortliche Stelle."
    )
    assert easy.flesch > hard.flesch and easy.wstf < hard.wstf


def test_empty_body_measures_nothing():
    assert measure("## Nur eine Überschrift\n\n| a |\n|---|\n") == Readability(0.0, 0.0, 0, [])


def test_longest_sentences_longest_first():
    found = measure(
        "Kurz.\n\nEin mittellanger Satz hier.\n\nEin deutlich längerer Satz mit mehr Wörtern.\n\nZwei Wörter.",
        10,
    )
    assert [(s.line, s.words) for s in found.longest(2)] == [(14, 7), (12, 4)]


THRESHOLDS = Thresholds(default=40, paths={"anwender": 50, "champion": 45, "fuehrungsebene": 30})
PATHS = {"anwender": ["a", "ac"], "champion": ["ac", "c"], "fuehrungsebene": ["f"]}


@pytest.mark.parametrize(
    ("module_id", "expected"),
    [
        ("a", ("anwender", 50)),  # on the Anwender path
        ("ac", ("anwender", 50)),  # on two paths: the higher minimum
        ("c", ("champion", 45)),
        ("f", (None, 40)),  # a path minimum below the default does not lower it
        ("x", (None, 40)),  # on no path
    ],
)
def test_minimum_for(module_id, expected):
    assert minimum_for(module_id, PATHS, THRESHOLDS) == expected


def yaml_of(text: str) -> LineDict:
    return load_yaml(text, "content/readability.yaml")


@pytest.mark.parametrize(
    ("text", "reasons"),
    [
        ("flesch_minimum:\n  default: 40\n  paths:\n    anwender: 50\n", []),
        ("flesch_minimum:\n  default: 42.5\n", []),
        ("andere: 1\n", ["Unbekannter Schlüssel „andere“", "Pflichtfeld „flesch_minimum“ fehlt"]),
        ("flesch_minimum:\n  paths:\n    anwender: 50\n", ["Pflichtfeld „default“ fehlt"]),
        ("flesch_minimum:\n  default: 120\n", ["„default“ muss eine Zahl von 0 bis 100 sein"]),
        ("flesch_minimum:\n  default: viel\n", ["„default“ muss eine Zahl von 0 bis 100 sein"]),
        ("flesch_minimum:\n  default: true\n", ["„default“ muss eine Zahl von 0 bis 100 sein"]),
        ("flesch_minimum:\n  default: 40\n  paths:\n    azubi: 60\n", ["Unbekannte Rolle „azubi“"]),
        (
            "flesch_minimum:\n  default: 40\n  paths:\n    anwender: -1\n",
            ["„anwender“ muss eine Zahl von 0 bis 100 sein"],
        ),
        ("flesch_minimum:\n  default: 40\n  maximum: 80\n", ["Unbekannter Schlüssel „maximum“"]),
    ],
)
def test_check_readability(text, reasons):
    problems = check_readability(yaml_of(text), "content/readability.yaml")
    assert len(problems) == len(reasons), problems
    for problem, reason in zip(problems, reasons, strict=True):
        assert problem.reason.startswith(reason), problem


def test_below_threshold_warning_names_the_figure_and_the_three_longest_sentences():
    figures = Readability(
        38.2,
        12.4,
        30,
        [
            Sentence(70, "Ein Satz mit fünf Wörtern."),
            Sentence(71, "Kurz."),
            Sentence(75, "Ein noch längerer Satz mit sieben Wörtern."),
            Sentence(80, "Ein Satz mit sechs Wörtern hier."),
        ],
    )
    rows = [
        ModuleReadability("m", "content/modules/m.md", 64, "anwender", 50, figures),
        ModuleReadability("ok", "content/modules/ok.md", 60, None, 30, figures),
    ]
    warnings = below_threshold_warnings(rows)
    assert [(w.file, w.line) for w in warnings] == [
        ("content/modules/m.md", n) for n in (64, 75, 80, 70)
    ]
    assert "Flesch 38,2 unter dem Mindestwert 50,0" in warnings[0].reason
    assert "Wiener Sachtextformel 12,4" in warnings[0].reason
    assert (
        warnings[1].reason == "langer Satz (7 Wörter): „Ein noch längerer Satz mit sieben Wörtern.“"
    )


@pytest.fixture
def tree(tmp_path):
    root = write_content(tmp_path / "content")
    long_sentence = (
        "Nach sorgfältiger Überprüfung sämtlicher Tatsachenbehauptungen und Quellenangaben "
        "übermitteln Sie das Arbeitsergebnis unverzüglich an die verantwortliche Stelle."
    )
    path = root / "modules" / "w2.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{long_sentence}\n", encoding="utf-8")
    return root


def write_thresholds(root, default, anwender):
    (root / "readability.yaml").write_text(
        f"flesch_minimum:\n  default: {default}\n  paths:\n    anwender: {anwender}\n",
        encoding="utf-8",
    )


def test_module_readability_applies_the_audience_thresholds(tree):
    write_thresholds(tree, 10, 20)
    (tree / "paths" / "anwender.yaml").write_text(
        (tree / "paths" / "anwender.yaml")
        .read_text(encoding="utf-8")
        .replace("- module: w2\n  required: true\n", ""),
        encoding="utf-8",
    )
    bundle = read_content(tree)
    assert bundle.problems == []
    rows = {row.module_id: row for row in module_readability(bundle)}
    assert (rows["g1"].audience, rows["g1"].minimum) == ("anwender", 20)
    assert (rows["w2"].audience, rows["w2"].minimum) == (None, 10)
    assert rows["w2"].source == "content/modules/w2.md"


def test_without_a_thresholds_file_nothing_is_below(tree):
    rows = module_readability(read_content(tree))
    assert rows and all(row.minimum is None and row.ok for row in rows)


def test_broken_thresholds_file_is_a_problem(tree):
    (tree / "readability.yaml").write_text("flesch_minimum:\n  default: hoch\n", encoding="utf-8")
    bundle = read_content(tree)
    assert [str(p) for p in bundle.problems] == [
        "content/readability.yaml:2: „default“ muss eine Zahl von 0 bis 100 sein"
    ]
    assert bundle.readability is None


def test_cli_check_warns_below_the_threshold_with_file_and_line(app, tree):
    write_thresholds(tree, 0, 100)  # every module on the Anwender path is below
    result = app.test_cli_runner().invoke(lernpfad_cli, ["content", "check", "--path", str(tree)])
    assert result.exit_code == 0, result.output
    w2 = (tree / "modules" / "w2.md").read_text(encoding="utf-8").split("\n")
    long_line = next(
        n for n, text in enumerate(w2, start=1) if text.startswith("Nach sorgfältiger")
    )
    assert "content/modules/w2.md:" in result.output
    assert "unter dem Mindestwert 100,0" in result.output
    assert (
        f"content/modules/w2.md:{long_line}: langer Satz (16 Wörter): „Nach sorgfältiger"
        in result.output
    )


def test_cli_check_lesbarkeit_lists_every_module(app, tree):
    write_thresholds(tree, 0, 1)
    result = app.test_cli_runner().invoke(
        lernpfad_cli, ["content", "check", "--path", str(tree), "--lesbarkeit"]
    )
    assert result.exit_code == 0, result.output
    assert "Lesbarkeit zu niedrig" not in result.output
    table = result.output.split("\n")
    assert table[1].split() == ["Modul", "Zielgruppe", "Flesch", "WSTF", "Mindestwert", "Status"]
    assert [line.split()[0] for line in table[2:6]] == ["g1", "q1", "w1", "w2"]
    assert all(line.split()[1] == "Anwender" and line.endswith("in Ordnung") for line in table[2:6])


def test_problem_is_printed_as_file_line_reason():
    assert str(Problem("content/modules/m.md", 3, "Grund")) == "content/modules/m.md:3: Grund"


CURRICULUM = Path(__file__).resolve().parents[2] / "content"


def test_every_shipped_module_reaches_its_readability_minimum():
    """The figures of the shipped curriculum: the Anwender path ≥ 50, every other module ≥ 40."""
    bundle = read_content(CURRICULUM)
    assert bundle.readability is not None
    rows = module_readability(bundle)
    assert len(rows) == len(bundle.modules) >= 28
    anwender = {step["module"] for step in bundle.paths["anwender"].data["steps"]}
    assert {r.module_id for r in rows if r.minimum == 50} == anwender & set(bundle.modules)
    assert {r.minimum for r in rows if r.module_id not in anwender} == {40}
    below = [f"{r.source}: Flesch {r.figures.flesch} unter {r.minimum}" for r in rows if not r.ok]
    assert below == [], "\n".join(below)
