"""The module page's table of contents and its scrolling tables, built from the stored HTML."""

from lernpfad.content.render import (
    Heading,
    render_content,
    scrollable_tables,
    table_of_contents,
)


def test_contents_nest_h3_under_h2_and_read_plain_text():
    html = render_content(
        "## Worum es geht\n\nText\n\n### Rolle *und* Ziel\n\n### Kontext\n\n"
        "## Prüfen & verbessern\n\nMehr\n"
    )
    assert table_of_contents(html) == [
        Heading(
            "worum-es-geht",
            "Worum es geht",
            [Heading("rolle-und-ziel", "Rolle und Ziel"), Heading("kontext", "Kontext")],
        ),
        Heading("prufen-verbessern", "Prüfen & verbessern"),
    ]


def test_contents_skip_headings_without_id_and_keep_a_leading_h3():
    html = '<h3 id="vorab">Vorab</h3><h2>ohne Anker</h2><h4 id="tief">zu tief</h4><h2 id="a">A</h2>'
    assert table_of_contents(html) == [Heading("vorab", "Vorab"), Heading("a", "A")]


def test_no_headings_no_contents():
    assert table_of_contents(render_content("Nur ein Absatz.")) == []


def test_every_table_scrolls_in_a_labelled_focusable_box():
    table = "| A | B |\n|---|---|\n| 1 | 2 |\n"
    html = scrollable_tables(
        render_content(f"{table}\nText\n\n{table}"), lambda n: f'Tabelle {n} "x"'
    )
    assert html.count('<div class="table-wrap" role="region" tabindex="0"') == 2
    assert 'aria-label="Tabelle 1 &quot;x&quot;"><table>' in html
    assert 'aria-label="Tabelle 2 &quot;x&quot;"><table>' in html
    assert html.count("</table></div>") == 2
    assert scrollable_tables("<p>ohne</p>", str) == "<p>ohne</p>"
