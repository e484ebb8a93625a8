"""Markdown to safe HTML: module content (rendered once, at import) and learner-written text."""

import hashlib
import random
import re

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


def render_learner_text(text: str) -> str:
    """Text written by a learner (a Markdown subset) → sanitised HTML with a small allow-list.

    Raw HTML is escaped before Markdown runs, so it shows as text; links keep only
    http(s) and mailto; images are not allowed.
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    html = markdown.markdown(escaped, extensions=["sane_lists"], output_format="html")
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
