"""The page frame: the navigation bar keeps at most six slots; more entries go under "Mehr"."""

import re

import pytest

from lernpfad.core import navigation


def entries(n: int) -> list[dict]:
    return [
        {"endpoint": "core.dashboard", "label": f"Eintrag {i}", "active": i == n}
        for i in range(1, n + 1)
    ]


@pytest.mark.parametrize(
    ("count", "in_bar", "under_more", "slots"),
    [(3, 3, 0, 3), (6, 6, 0, 6), (7, 5, 2, 6), (9, 5, 4, 6)],
)
def test_bar_holds_six_slots_and_the_rest_goes_under_more(
    client, auth, people, monkeypatch, count, in_bar, under_more, slots
):
    monkeypatch.setattr(navigation, "navigation_for", lambda person: entries(count))
    auth.login()
    page = client.get("/").get_data(as_text=True)
    assert f'class="site-header__inner nav-slots-{slots}"' in page
    bar = re.search(r'<ul class="main-nav__bar">(.*?)</ul>\s*<div class="account">', page, re.S)
    assert bar
    more = re.search(
        r"<details class=\"disclosure\">\s*<summary[^>]*>Mehr</summary>(.*?)</details>",
        bar.group(1),
        re.S,
    )
    in_more = re.findall(r"Eintrag \d+", more.group(1)) if more else []
    assert len(re.findall(r"Eintrag \d+", bar.group(1))) - len(in_more) == in_bar
    assert len(in_more) == under_more
    if under_more:  # the active entry is under "Mehr": its button is marked current
        assert 'class="disclosure__button is-current">Mehr' in bar.group(1)
    # The phone menu lists every entry once.
    menu = re.search(r'<div class="disclosure__panel site-menu__panel">(.*?)</div>', page, re.S)
    assert len(re.findall(r"Eintrag \d+", menu.group(1))) == count
