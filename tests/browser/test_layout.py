"""Every page fits the window (PRODUCT.md: 360 to 1920 px).

For each demo role, the pages reachable from its navigation and the pages linked from those (two
link hops: module pages, the assessment result, a use case, a hand-in to review, the Art. 4
evidence, …) are loaded once and measured at 360, 768, 1280 and 1920 px: the page must not
scroll sideways, and the header must stay one row — the full bar or the collapsed menu button.
Pages are found by following links, so new pages are checked as soon as a link leads to them;
one page per route (and set of query parameters) is enough, plus a few chosen ones below.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from lernpfad.auth.models import Department
from lernpfad.content.models import ModuleVersion
from lernpfad.extensions import db
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

WIDTHS = (360, 768, 1280, 1920)
WIDE = 1280  # from here on, tables fit without scrolling in their box
ROLES = [
    "anna@muster.example",
    "neu@muster.example",
    "champion@muster.example",
    "leitung.vertrieb@muster.example",
    "gf@muster.example",
    "hr@muster.example",
    "admin@muster.example",
]
LINK_HOPS = 2  # beyond the navigation
NOT_A_PAGE = re.compile(r"\.(csv|json|pdf|png|svg|zip|txt)$")

# Horizontal overflow of the page, and whether the header's visible controls share one row.
MEASURE = """() => {
  const root = document.documentElement;
  const header = document.querySelector("header");
  const shown = (e) => {
    const closed = e.closest("details:not([open])");
    if (closed && !closed.querySelector(":scope > summary").contains(e)) return false;
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const controls = header ? [...header.querySelectorAll("a, button, summary")].filter(shown) : [];
  const boxes = controls.map((e) => e.getBoundingClientRect());
  // One row: a horizontal line crosses every control.
  const oneRow = !boxes.length
    || Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom));
  const height = header ? Math.round(header.getBoundingClientRect().height) : 0;
  // Tables that scroll inside their box (their caption or first header cell names them).
  const cut = [...document.querySelectorAll(".table-wrap")]
    .filter((box) => shown(box) && box.scrollWidth > box.clientWidth)
    .map((box) => (box.querySelector("caption, th")?.textContent || "").trim().slice(0, 60));
  return {scroll: root.scrollWidth, client: root.clientWidth, oneRow, height, cut};
}"""


def chosen_pages(live_app, email: str) -> list[str]:
    """Pages that no link of the crawl reaches with these parameters, or that need to be seen."""
    with live_app.app_context():
        vertrieb = db.session.scalar(sa.select(Department.id).where(Department.name == "Vertrieb"))
        # Module pages with tables or code blocks: the widest content there is.
        wide_modules = db.session.scalars(
            sa.select(ModuleVersion.module_id)
            .where(ModuleVersion.is_current)
            .where(
                ModuleVersion.body_html.contains("<table")
                | ModuleVersion.body_html.contains("<pre")
            )
            .order_by(ModuleVersion.module_id)
        ).all()
    pages = {
        "hr@muster.example": ["/personen/?q=muster", f"/berichte/?abteilung={vertrieb}"],
        "admin@muster.example": ["/personen/?q=muster"],
        "anna@muster.example": [f"/module/{module_id}" for module_id in wide_modules],
    }
    return pages.get(email, [])


class Crawl:
    """One role's pages, each loaded once and measured at every width."""

    def __init__(self, page, live_app, live_server):
        self.page = page
        self.origin = live_server
        self.urls = live_app.url_map.bind(urlsplit(live_server).netloc)
        self.seen: set = set()
        self.checked: list[str] = []
        self.overflow: list[str] = []  # "url at width: scrollWidth > clientWidth"
        self.navigation: list[str] = []  # "url at width: header height" where it wraps
        self.broken: list[str] = []
        self.cut: list[str] = []  # "url at width: tables" that scroll although the screen is wide

    def route(self, url: str):
        """Which view answers ``url`` (and with which query parameters), or None if none does."""
        parts = urlsplit(url)
        if not url.startswith(self.origin) or NOT_A_PAGE.search(parts.path):
            return None
        try:
            endpoint, _args = self.urls.match(parts.path, method="GET")
        except (HTTPException, RequestRedirect):
            return None
        if endpoint == "static":
            return None
        return endpoint, tuple(sorted(parse_qs(parts.query)))

    def links(self, selector: str) -> list[str]:
        return self.page.eval_on_selector_all(
            selector, "links => links.filter((a) => !a.hasAttribute('download')).map((a) => a.href)"
        )

    def visit(self, url: str) -> list[str]:
        """Load ``url``, measure it at every width; return the links in its main content."""
        self.page.set_viewport_size({"width": 1280, "height": 800})
        try:
            response = self.page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                return []
            raise
        path = url.removeprefix(self.origin)
        if response is None or response.status >= 400:
            self.broken.append(f"{path}: {response.status if response else 'no answer'}")
            return []
        if not response.headers.get("content-type", "").startswith("text/html"):
            return []
        self.checked.append(path)
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 800})
            found = self.page.evaluate(MEASURE)
            if found["scroll"] > found["client"]:
                self.overflow.append(f"{path} at {width} px: {found['scroll']} > {found['client']}")
            if width >= WIDE and found["cut"]:
                self.cut.append(f"{path} at {width} px: {found['cut']}")
            if not found["oneRow"]:
                self.navigation.append(f"{path} at {width} px: header {found['height']} px tall")
        return self.links("main a[href]")

    def run(self, start: list[str], chosen: list[str]) -> None:
        level = start
        for hop in range(LINK_HOPS + 1):
            following = []
            for url in level:
                key = self.route(url)
                if key is None or key in self.seen:
                    continue
                self.seen.add(key)
                found = self.visit(url)
                if hop < LINK_HOPS:
                    following.extend(found)
            level = following
        for path in chosen:
            self.visit(self.origin + path)


@pytest.fixture(scope="module", params=ROLES)
def crawl(request, browser, live_app, live_server):
    context = browser.new_context(
        base_url=live_server, locale="de-DE", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    login(page, request.param)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guten Tag")
    result = Crawl(page, live_app, live_server)
    navigation = result.links("header a[href]")
    result.run(navigation, chosen_pages(live_app, request.param))
    yield result
    context.close()


@pytest.mark.slow  # a crawl of every page per role: minutes, run by `make test-slow`
def test_no_page_scrolls_sideways(crawl):
    assert len(crawl.checked) >= 5, crawl.checked
    assert crawl.broken == [], "links lead to errors:\n" + "\n".join(crawl.broken)
    assert crawl.overflow == [], "pages wider than the window:\n" + "\n".join(crawl.overflow)


@pytest.mark.slow  # a crawl of every page per role: minutes, run by `make test-slow`
def test_tables_fit_without_scrolling_on_wide_screens(crawl):
    assert crawl.cut == [], "tables cut off on a wide screen:\n" + "\n".join(crawl.cut)


@pytest.mark.slow  # a crawl of every page per role: minutes, run by `make test-slow`
def test_navigation_is_one_row_or_collapsed(crawl):
    assert crawl.navigation == [], "navigation wraps:\n" + "\n".join(crawl.navigation)


def test_menu_opens_by_keyboard_without_javascript(browser, live_server):
    """On a phone the navigation is one "Menü" button; a <details>, so it needs no JavaScript."""
    context = browser.new_context(
        base_url=live_server,
        locale="de-DE",
        viewport={"width": 360, "height": 800},
        java_script_enabled=False,
    )
    page = context.new_page()
    login(page, "hr@muster.example")
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    people = navigation.get_by_role("link", name="Personen", exact=True)
    expect(people).to_be_hidden()
    menu = navigation.locator("summary", has_text="Menü")
    for _press in range(5):  # skip link, brand, then the menu button
        page.keyboard.press("Tab")
        if menu.evaluate("e => e === document.activeElement"):
            break
    assert menu.evaluate("e => e.matches(':focus-visible')")
    assert menu.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(people).to_be_visible()
    expect(navigation.get_by_role("button", name="Abmelden")).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Übersicht"
    context.close()


def test_module_contents_sit_beside_the_text_on_wide_screens_and_above_on_phones(
    browser, live_server
):
    """Before: the text took about 60 % of a 1280 px window and no contents were shown."""
    context = browser.new_context(
        base_url=live_server, locale="de-DE", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    login(page, "anna@muster.example")
    page.goto("/module/werkzeuge-prompting-grundlagen")
    contents = page.get_by_role("navigation", name="In diesem Modul")
    expect(contents.get_by_role("link", name="Quiz")).to_be_visible()
    measure = """() => {
      const box = (s) => document.querySelector(s).getBoundingClientRect();
      const ch = document.createElement("span");
      ch.style.cssText = "position:absolute;width:1ch";
      document.querySelector("article p").append(ch);
      const prose = document.querySelector("article p").getBoundingClientRect().width;
      const chars = prose / ch.getBoundingClientRect().width;
      ch.remove();
      return {text: box("article"), toc: box(".module-toc"), chars,
              window: document.documentElement.clientWidth};
    }"""
    wide = page.evaluate(measure)
    assert wide["toc"]["left"] >= wide["text"]["right"]  # beside the text
    assert wide["toc"]["right"] - wide["text"]["left"] >= 0.8 * wide["window"]
    assert 60 <= wide["chars"] <= 80  # a readable measure
    page.set_viewport_size({"width": 360, "height": 800})
    narrow = page.evaluate(measure)
    assert narrow["toc"]["bottom"] <= narrow["text"]["top"]  # above the text
    context.close()


def test_account_menu_opens_by_keyboard_and_closes_with_escape(browser, live_server):
    context = browser.new_context(
        base_url=live_server, locale="de-DE", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    login(page, "hr@muster.example")
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    account = navigation.locator(".account summary")
    expect(account).to_have_accessible_name("Konto: Helga Roth")
    my_data = navigation.get_by_role("link", name="Meine Daten")
    expect(my_data).to_be_hidden()
    account.focus()
    page.keyboard.press("Enter")
    expect(my_data).to_be_visible()
    page.keyboard.press("Escape")
    expect(my_data).to_be_hidden()
    assert account.evaluate("e => e === document.activeElement")
    context.close()


def luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_heatmap_scale_is_sequential_readable_and_explained(browser, live_server):
    """Before: five faint blues (first to last 2.1:1) and no legend."""
    context = browser.new_context(base_url=live_server, locale="de-DE")
    page = context.new_page()
    login(page, "hr@muster.example")
    page.goto("/berichte/")
    legend = page.locator(".heat-legend .heat")
    expect(legend).to_have_text(["0", "1", "2", "3", "4"])
    colours = legend.evaluate_all(
        "cells => cells.map((c) => [getComputedStyle(c).color, getComputedStyle(c).backgroundColor])"
    )
    cells = page.locator(".heatmap td.heat").evaluate_all(
        "cells => cells.map((c) => [getComputedStyle(c).color, getComputedStyle(c).backgroundColor])"
    )
    assert cells, "no heatmap cells"
    for text, background in colours + cells:
        assert contrast(text, background) >= 4.5, (text, background)
    backgrounds = [luminance(background) for _text, background in colours]
    assert backgrounds == sorted(backgrounds, reverse=True)  # darker with every level
    assert contrast(colours[0][1], colours[-1][1]) >= 7
    context.close()
