"""Learner Markdown (hand-ins, feedback) reads as people write it: lists right after a line of
text, single line breaks kept — still through the same small allow-list."""

import pytest

from lernpfad.content.render import render_learner_text, separate_lists


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a list right after a line of text gets its blank line
        ("**Vorlage:**\n- Rolle\n- Ziel", "**Vorlage:**\n\n- Rolle\n- Ziel"),
        ("Schritte:\n* eins\n* zwei", "Schritte:\n\n* eins\n* zwei"),
        ("Schritte:\n+ eins", "Schritte:\n\n+ eins"),
        ("Ablauf:\n1. Anfrage lesen\n2. Entwurf", "Ablauf:\n\n1. Anfrage lesen\n2. Entwurf"),
        ("Ablauf:\n   - eingerückt", "Ablauf:\n\n   - eingerückt"),
        # already separated, or the text starts with the list: unchanged
        ("Vorlage:\n\n- Rolle", "Vorlage:\n\n- Rolle"),
        ("- Rolle\n- Ziel", "- Rolle\n- Ziel"),
        # inside a list: further items, continuation lines, nested items stay as they are
        ("- a\n  weiter\n- b", "- a\n  weiter\n- b"),
        ("- a\nlocker weiter\n- b", "- a\nlocker weiter\n- b"),
        ("- a\n    - innen\n- b", "- a\n    - innen\n- b"),
        ("1. a\n2. b\n3. c", "1. a\n2. b\n3. c"),
        ("- a\n\n  noch a\n- b", "- a\n\n  noch a\n- b"),
        # a paragraph after the list ends it; a new list after that paragraph is separated again
        ("- a\n\nText\n- b", "- a\n\nText\n\n- b"),
        # no list: a number in a sentence, emphasis, a dash without text, indented code
        ("Wir haben am\n12. März begonnen.", "Wir haben am\n12. März begonnen."),
        ("Das war\n*wirklich* gut.", "Das war\n*wirklich* gut."),
        ("**fett**\n**auch fett**", "**fett**\n**auch fett**"),
        ("Text\n-\nmehr", "Text\n-\nmehr"),
        ("Text\n-Bindestrich", "Text\n-Bindestrich"),
        ("Text\n\n    - Code", "Text\n\n    - Code"),
        ("", ""),
    ],
)
def test_separate_lists(text, expected):
    assert separate_lists(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "**Vorlage:**\n- Rolle: Vertrieb\n- Ziel: Angebot",
            "<p><strong>Vorlage:</strong></p>\n<ul>\n<li>Rolle: Vertrieb</li>\n"
            "<li>Ziel: Angebot</li>\n</ul>",
        ),
        ("Zeile eins\nZeile zwei", "<p>Zeile eins<br>\nZeile zwei</p>"),
        (
            "Ablauf:\n1. lesen\n2. entwerfen",
            "<p>Ablauf:</p>\n<ol>\n<li>lesen</li>\n<li>entwerfen</li>\n</ol>",
        ),
        ("Absatz eins\n\nAbsatz zwei", "<p>Absatz eins</p>\n<p>Absatz zwei</p>"),
        ("Am\n12. März", "<p>Am<br>\n12. März</p>"),
        ("Text\r\n- a", "<p>Text</p>\n<ul>\n<li>a</li>\n</ul>"),
    ],
)
def test_learner_markdown_renders_as_people_expect(text, expected):
    assert render_learner_text(text) == expected


def test_raw_html_on_a_list_line_stays_text():
    html = render_learner_text("Liste:\n- <script>alert(1)</script>\n- <b>x</b>")
    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>" in html
    assert "<li>&lt;b&gt;x&lt;/b&gt;</li>" in html
