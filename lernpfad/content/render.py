"""Markdown to safe HTML: module content (rendered once, at import) and learner-written text."""

import hashlib
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

import markdown
import nh3

MODULE_URL = "/module/{id}"

_CONTENT_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "div",
    "span",
    "sup",
    "sub",
    "dl",
    "dt",
    "dd",
    "abbr",
    "kbd",
}
_CONTENT_ATTRIBUTES = {
    "a": {"href", "title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "th": {"align"},
    "td": {"align"},
    "abbr": {"title"},
    "ol": {"start"},
}
_CONTENT_CLASSES = {
    "div": {"admonition", "tip", "note", "warning", "important", "hint", "toc"},
    "p": {"admonition-title"},
    "code": {"language-text", "language-python", "language-json", "language-markdown"},
}

_LEARNER_TAGS = {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
_LEARNER_ATTRIBUTES = {"a": {"href"}}
_SCHEMES = {"http", "https", "mailto"}


def _module_links(html: str) -> str:
    return re.sub(
        r'href="modul:([a-z0-9-]+)"', lambda m: f'href="{MODULE_URL.format(id=m.group(1))}"', html
    )


def render_content(text: str) -> str:
    """Curriculum Markdown (tables, fenced code, admonitions, heading anchors) → sanitised HTML."""
    html = markdown.markdown(
        text,
        extensions=["tables", "fenced_code", "admonition", "toc", "sane_lists"],
        extension_configs={"toc": {"permalink": False, "toc_depth": "2-3"}},
        output_format="html",
    )
    html = _module_links(html)
    return nh3.clean(
        html,
        tags=_CONTENT_TAGS,
        attributes=_CONTENT_ATTRIBUTES,
        allowed_classes=_CONTENT_CLASSES,
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer",
    )


# A list item as people type it: "- ", "* ", "+ " or, to start a list, "1. " (as in CommonMark,
# only "1." starts a list right after a line of text, so "am\n12. März" stays a sentence).
_BULLET = re.compile(r" {0,3}[-*+] +\S")
_FIRST_NUMBER = re.compile(r" {0,3}1\. +\S")
_ANY_NUMBER = re.compile(r" {0,3}\d{1,9}\. +\S")


@dataclass
class Heading:
    """A heading of a module text: its anchor (set by the Markdown toc extension) and its text."""

    id: str
    title: str
    children: list["Heading"] = field(default_factory=list)


class _HeadingParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []
        self._open: tuple[str, str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        anchor = dict(attrs).get("id")
        if tag in ("h2", "h3") and anchor:
            self._open = (tag, anchor, [])

    def handle_data(self, data):
        if self._open:
            self._open[2].append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            level, anchor, text = self._open
            self.found.append((int(level[1]), anchor, " ".join("".join(text).split())))
            self._open = None


def table_of_contents(html: str) -> list[Heading]:
    """The h2 headings of rendered module HTML with their h3 headings beneath, for a table of
    contents; headings without an id (not from the toc extension) are left out."""
    parser = _HeadingParser()
    parser.feed(html)
    contents: list[Heading] = []
    for level, anchor, title in parser.found:
        if level == 3 and contents:
            contents[-1].children.append(Heading(anchor, title))
        else:
            contents.append(Heading(anchor, title))
    return contents


def scrollable_tables(html: str, label: Callable[[int], str]) -> str:
    """Rendered module HTML with every table in a focusable, labelled box that scrolls sideways
    (the .table-wrap pattern), so a wide table never widens the page. ``label(n)`` names the
    n-th table for screen readers."""
    parts = html.split("<table>")
    return parts[0] + "".join(
        f'<div class="table-wrap" role="region" tabindex="0" aria-label="{escape(label(n))}">'
        f"<table>{part.replace('</table>', '</table></div>', 1)}"
        for n, part in enumerate(parts[1:], start=1)
    )


def separate_lists(text: str) -> str:
    """Put a blank line before a list that directly follows a line of text.

    Markdown needs the blank line, people do not write it: "**Vorlage:**" followed by "- Rolle"
    on the next line is meant as a heading line and a list. Lines inside a list (further items,
    continuations, nested items) are left alone.
    """
    out: list[str] = []
    in_list = False
    for line in text.split("\n"):
        after_text = bool(out and out[-1].strip())
        if _BULLET.match(line) or _ANY_NUMBER.match(line):
            if in_list or not after_text:
                in_list = True
            elif _BULLET.match(line) or _FIRST_NUMBER.match(line):
                out.append("")
                in_list = True
        elif line.strip() and not after_text and not line[:1].isspace():
            in_list = False  # a paragraph after a blank line ends the list
        out.append(line)
    return "\n".join(out)


def render_learner_text(text: str) -> str:
    """Text written by a learner (a Markdown subset) → sanitised HTML with a small allow-list.

    Written as people write elsewhere: a single line break stays a line break, and a list may
    follow a line of text directly. Raw HTML is escaped before Markdown runs, so it shows as
    text; links keep only http(s) and mailto; images are not allowed.
    """
    text = separate_lists(text.replace("\r\n", "\n"))
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    html = markdown.markdown(escaped, extensions=["sane_lists", "nl2br"], output_format="html")
    return nh3.clean(
        html,
        tags=_LEARNER_TAGS,
        attributes=_LEARNER_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def option_order(seed: str, count: int) -> list[int]:
    """The order in which the options of a question are shown: a permutation of ``range(count)``,
    the same for the same seed. Content authors tend to write the right answer first; shuffling
    per person and attempt keeps the position from giving it away. Answers keep the option's
    index in the content, so scoring does not depend on the order shown."""
    digest = hashlib.sha256(seed.encode()).digest()
    order = list(range(count))
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(order)
    return order
