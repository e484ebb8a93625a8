"""The documentation's building blocks (paragraphs, lists, facts, tables, the role matrix),
which the page's template and the PDF both draw, and how values are written in them."""

from dataclasses import dataclass, field

from flask_babel import format_datetime
from flask_babel import gettext as _

from lernpfad.privacy.mode import INDIVIDUAL


@dataclass(frozen=True)
class Paragraph:
    kind = "paragraph"  # for the template
    text: str
    note: bool = False  # a hedge or footnote, set smaller
    strong: bool = False  # a result, set apart


@dataclass(frozen=True)
class Bullets:
    kind = "bullets"  # for the template
    items: list[str]


@dataclass(frozen=True)
class Facts:
    kind = "facts"  # for the template
    items: list[tuple[str, str]]


@dataclass(frozen=True)
class Table:
    kind = "table"  # for the template
    headers: list[str]
    rows: list[list[str]]
    widths: tuple[float, ...]  # relative column widths in the PDF


@dataclass(frozen=True)
class MatrixCell:
    allowed: bool
    condition: str = ""  # an extra right the view checks (texts.EXTRA_RIGHT_ENDPOINTS)


@dataclass(frozen=True)
class MatrixLine:
    endpoint: str
    label: str
    address: str  # shown when there is no label, and small beside one
    public: bool
    cells: list[MatrixCell]


@dataclass(frozen=True)
class MatrixArea:
    blueprint: str
    label: str
    scope: str
    lines: list[MatrixLine]


@dataclass(frozen=True)
class Matrix:
    kind = "matrix"  # for the template
    roles: list[str]
    areas: list[MatrixArea]


@dataclass
class Section:
    anchor: str
    title: str
    blocks: list = field(default_factory=list)
    level: int = 2


@dataclass(frozen=True)
class Part:
    anchor: str
    title: str
    sections: list[Section]


YES, NO = "✓", "–"
# Where the role names in the matrix's narrow heading cells may break (soft hyphens).
BREAKS = ("Fachbereichs", "Datenschutz", "Führungs", "Personal", "Admini")


def breakable(label: str) -> str:
    for part in BREAKS:
        label = label.replace(part, part + "\u00ad")
    return label


def mode_label(mode: str) -> str:
    return _("Einzelwerte für HR") if mode == INDIVIDUAL else _("Zusammengefasst")


def when(moment) -> str:
    return format_datetime(moment, format="dd.MM.yyyy, HH:mm") if moment else ""
