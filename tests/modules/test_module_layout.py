"""The module page: a table of contents of the module's headings, tables in scrolling boxes."""

import re


def test_module_page_has_contents_and_scrolling_tables(client, auth, people, content):
    auth.login()
    page = client.get("/module/w2").get_data(as_text=True)
    contents = re.search(r'<nav class="module-toc".*?</nav>', page, re.S)
    assert contents, "no table of contents"
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', contents.group(0))
    assert links == [
        ("worum-es-geht", "Worum es geht"),
        ("quiz", "Quiz"),
        ("aufgabe", "Praxisaufgabe"),
    ]
    assert 'id="worum-es-geht"' in page and 'id="quiz"' in page and 'id="aufgabe"' in page
    assert (
        '<div class="table-wrap" role="region" tabindex="0" aria-label="Tabelle 1"><table>' in page
    )
