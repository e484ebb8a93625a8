"""Readability of module texts: the German Flesch reading ease and the Wiener Sachtextformel.

Measured on the prose a learner reads as running text: the module body without front matter,
fenced code, tables, headings, admonition titles, images, URLs and shortcodes. Headings are left
out because they are labels, not sentences (counted as sentences they would flatter the figure);
a list item is a sentence of its own (it gets a full stop if it has none), so a list does not
become one endless sentence. Link texts, emphasis and blockquotes stay as plain text.

textstat computes the figures with ``lang="de"``: its German Flesch is Amstad's formula
180 − ASL − 58.5 · ASW (average sentence length in words, average syllables per word, syllables
by Pyphen), the Wiener Sachtextformel is the first one (WSTF 1, a school grade 4–15). Sentences
are split here, not by textstat (which ends a sentence at every full stop, so „z. B.“ or „Art. 4“
would count as sentence ends): full stops inside a sentence are dropped before textstat reads it.
"""

import re
from dataclasses import dataclass, field

from lernpfad.content.loader import Problem

LANGUAGE = "de"

# Abbreviations whose full stop does not end a sentence (lower-case, without the final dot).
ABBREVIATIONS = frozenset(
    "z.b u.a d.h u.u o.ä s.o s.u z.t i.d.r i.d i.s.d u.ä m.e bzw ca ggf usw vgl evtl etc inkl "
    "exkl zzgl abs art nr ziff lit dr prof mio mrd tsd max min mind sog bspw insb allg "
    "gem geb jh jhd st str tel s anh kap abschn rn rdnr ff f".split()
)

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_TABLE_ROW = re.compile(r"^\s*\|")
_TABLE_SEPARATOR = re.compile(r"^\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$")
_ADMONITION = re.compile(r'^\s*(!!!|\?\?\?\+?)\s*\w+(\s+"[^"]*")?\s*$')
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])\s+")
_QUOTE = re.compile(r"^\s*>\s?")
_SHORTCODE_LINE = re.compile(r"^\s*(\[\[.*\]\]|\{\{.*\}\}|\{%.*%\})\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)

_INLINE = [
    (re.compile(r"\[\[[^\]]*\]\]"), " "),  # shortcodes [[...]]
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), " "),  # images
    (re.compile(r"\[\^[^\]]*\]"), ""),  # footnote references
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links → their text
    (re.compile(r"<(https?://|mailto:)[^>]*>"), " "),  # autolinks
    (re.compile(r"https?://\S+"), " "),  # bare URLs
    (re.compile(r"`+[^`]*`+"), " "),  # inline code
    (re.compile(r"</?[a-zA-Z][^>]*>"), " "),  # raw HTML tags
    (re.compile(r"(\*{1,3}|\b_{1,3}|_{1,3}\b)"), ""),  # emphasis markers
]

_SENTENCE_END = re.compile(r"[.!?…]+[“”\"')\]»]*(?=\s|$)")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the prose with the line (in the file) where it begins."""

    line: int
    text: str

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))


@dataclass(frozen=True)
class Readability:
    flesch: float  # German Flesch reading ease (Amstad), higher is easier
    wstf: float  # first Wiener Sachtextformel, a school grade, lower is easier
    words: int
    sentences: list[Sentence] = field(repr=False)

    def longest(self, count: int = 3) -> list[Sentence]:
        """The ``count`` longest sentences (in words), longest first."""
        return sorted(self.sentences, key=lambda s: (-s.words, s.line))[:count]


def _clean_inline(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def prose_blocks(body: str, first_line: int = 1) -> list[tuple[int, str]]:
    """The paragraphs and list items of a module body as (line of its start, plain text).

    ``first_line`` is the file's line number of the body's first line.
    """
    body = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), body)
    lines = body.split("\n")
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    in_fence = False

    def close():
        nonlocal current
        current = None

    for index, raw in enumerate(lines):
        number = first_line + index
        if _FENCE.match(raw):
            in_fence = not in_fence
            close()
            continue
        if in_fence:
            continue
        nxt = lines[index + 1] if index + 1 < len(lines) else ""
        if (
            not raw.strip()
            or _HEADING.match(raw)
            or _RULE.match(raw)
            or _TABLE_ROW.match(raw)
            or _TABLE_SEPARATOR.match(raw)
            or _ADMONITION.match(raw)
            or _SHORTCODE_LINE.match(raw)
        ):
            close()
            continue
        if _SETEXT_UNDERLINE.match(nxt) and nxt.strip() and current is None:
            continue  # a setext heading's text (its underline is skipped as a rule or here)
        if _SETEXT_UNDERLINE.match(raw) and raw.strip().startswith("="):
            close()
            continue
        text = _QUOTE.sub("", raw)
        item = _LIST_ITEM.match(text)
        if item:
            text = text[item.end() :]
            current = [text]
            blocks.append((number, current))
            continue
        if current is None:
            current = [text]
            blocks.append((number, current))
        else:
            current.append(text)
    found = []
    for number, parts in blocks:
        text = _clean_inline(" ".join(parts))
        if _WORD.search(text):
            found.append((number, text))
    return found


def _ends_sentence(text: str, end: int) -> bool:
    """Whether the full stop at ``text[end - 1]`` ends a sentence: not after an abbreviation
    („z. B.“, „Art.“), an ordinal („2. Dezember“, „im 3. Schritt“) or before a lower-case word."""
    if text[end - 1] != ".":
        return True
    before = re.search(r"(\S+)\.$", text[:end])
    token = before.group(1).lower().lstrip("(„\"'") if before else ""
    nxt = text[end:].lstrip()
    following = re.match(r"([^\s.]+)\.", nxt)  # "B." after "z."
    pair = re.search(r"(\S+)\.\s+(\S+)\.$", text[:end])  # "z. B." before
    if (
        token in ABBREVIATIONS
        or (following and f"{token}.{following.group(1).lower()}" in ABBREVIATIONS)
        or (pair and f"{pair.group(1)}.{pair.group(2)}".lower().lstrip("(„\"'") in ABBREVIATIONS)
    ):
        return False
    if re.fullmatch(r"\d{1,3}", token) and nxt:
        return False  # an ordinal: „am 2. Dezember“, „im 3. Schritt“
    return not nxt[:1].islower()  # „… z. B. die …“


def sentences(blocks: list[tuple[int, str]]) -> list[Sentence]:
    """Split the blocks into sentences; a block without a final mark ends one anyway."""
    found: list[Sentence] = []
    for number, text in blocks:
        start = 0
        for match in _SENTENCE_END.finditer(text):
            end = match.start() + 1
            if not _ends_sentence(text, end) and match.end() < len(text):
                continue
            piece = text[start : match.end()].strip()
            if piece:
                found.append(Sentence(number, piece))
            start = match.end()
        rest = text[start:].strip()
        if rest and _WORD.search(rest):
            found.append(Sentence(number, rest))
    return found


def _for_textstat(sentence: str) -> str:
    """One sentence as textstat should see it: no full stop inside, one at the end."""
    inner = sentence.rstrip(" .!?…“”\"')]»")
    return re.sub(r"[.!?…]", "", inner) + "."


def measure(body: str, first_line: int = 1) -> Readability:
    """The readability of a module body (Markdown without front matter)."""
    # textstat (and Pyphen's German dictionary, about 2 s) only where figures are wanted; its
    # backend functions take the language as an argument instead of textstat's global set_lang.
    from textstat.backend import metrics

    found = sentences(prose_blocks(body, first_line))
    text = "\n".join(_for_textstat(s.text) for s in found)
    if not found:
        return Readability(0.0, 0.0, 0, [])
    return Readability(
        flesch=round(metrics.flesch_reading_ease(text, LANGUAGE), 1),
        wstf=round(metrics.wiener_sachtextformel(text, 1, LANGUAGE), 1),
        words=sum(s.words for s in found),
        sentences=found,
    )


@dataclass(frozen=True)
class Thresholds:
    """The minimum Flesch reading ease per audience (content/readability.yaml)."""

    default: float  # every module on no path named in ``paths``
    paths: dict[str, float] = field(default_factory=dict)  # role → minimum for its path's modules


def thresholds_from(data) -> Thresholds:
    """Thresholds from checked data of content/readability.yaml."""
    minimum = data["flesch_minimum"]
    return Thresholds(
        float(minimum["default"]), {k: float(v) for k, v in (minimum.get("paths") or {}).items()}
    )


def minimum_for(
    module_id: str, path_modules: dict[str, list[str]], thresholds: Thresholds
) -> tuple[str | None, float]:
    """The audience (the role whose path sets the highest minimum, None: every other module)
    and the minimum Flesch reading ease of a module."""
    audience, minimum = None, thresholds.default
    for role in sorted(thresholds.paths):
        if module_id in path_modules.get(role, ()) and thresholds.paths[role] > minimum:
            audience, minimum = role, thresholds.paths[role]
    return audience, minimum


@dataclass(frozen=True)
class ModuleReadability:
    """One module's figures against its threshold (``minimum`` None: no thresholds set)."""

    module_id: str
    source: str
    body_line: int
    audience: str | None
    minimum: float | None
    figures: Readability

    @property
    def ok(self) -> bool:
        return self.minimum is None or self.figures.flesch >= self.minimum


def _quote(text: str, limit: int = 120) -> str:
    return f"„{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}“"


def figure(value: float) -> str:
    """A figure as German text writes it (one decimal, comma)."""
    return f"{value:.1f}".replace(".", ",")


def below_threshold_warnings(rows: list[ModuleReadability]) -> list[Problem]:
    """A warning per module below its minimum, then its three longest sentences (file:line)."""
    found: list[Problem] = []
    for row in rows:
        if row.ok:
            continue
        found.append(
            Problem(
                row.source,
                row.body_line,
                f"Lesbarkeit zu niedrig: Flesch {figure(row.figures.flesch)} unter dem Mindestwert "
                f"{figure(row.minimum)} (Wiener Sachtextformel {figure(row.figures.wstf)}); "
                "die drei längsten Sätze folgen",
            )
        )
        for sentence in row.figures.longest(3):
            found.append(
                Problem(
                    row.source,
                    sentence.line,
                    f"langer Satz ({sentence.words} Wörter): {_quote(sentence.text)}",
                )
            )
    return found


def module_readability(bundle) -> list[ModuleReadability]:
    """The figures of every valid module of a checked content bundle (services.read_content),
    by module id; without content/readability.yaml no module has a minimum."""
    thresholds = thresholds_from(bundle.readability.data) if bundle.readability else None
    path_modules = {
        role: [step["module"] for step in item.data["steps"]] for role, item in bundle.paths.items()
    }
    rows = []
    for module_id, item in sorted(bundle.modules.items()):
        audience, minimum = (
            minimum_for(module_id, path_modules, thresholds) if thresholds else (None, None)
        )
        rows.append(
            ModuleReadability(
                module_id,
                item.source,
                item.body_line,
                audience,
                minimum,
                measure(item.body, item.body_line),
            )
        )
    return rows
