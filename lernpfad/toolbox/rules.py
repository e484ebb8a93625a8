"""The toolbox's rules as pure functions: status flow, data classes, what an approval needs and
which tools a learner is shown.

Data classes are the traffic light of the AI-policy module (content/modules/recht-ki-richtlinie.md
and recht-datenschutz-grundregeln.md): Grün (public, general), Gelb (internal or personal data
with normal protection needs), Rot (strictly confidential). A tool's data class is the highest it
is approved for; it may take every lower one as well.
"""

import re
from datetime import date

IN_REVIEW, APPROVED, RESTRICTED, REFUSED = (
    "in_pruefung",
    "freigegeben",
    "eingeschraenkt",
    "nicht_zugelassen",
)
STATUSES = (IN_REVIEW, APPROVED, RESTRICTED, REFUSED)
# What a learner may use: approved tools, and restricted ones within their restriction.
USABLE = (APPROVED, RESTRICTED)

# A new tool is being reviewed or is known not to be permitted (a service staff ask about);
# an approval follows a review. Back to review at any time (a new version, a changed contract).
INITIAL_STATUSES = frozenset({IN_REVIEW, REFUSED})
NEXT_STATUS = {
    IN_REVIEW: frozenset({APPROVED, RESTRICTED, REFUSED}),
    APPROVED: frozenset({RESTRICTED, REFUSED, IN_REVIEW}),
    RESTRICTED: frozenset({APPROVED, REFUSED, IN_REVIEW}),
    REFUSED: frozenset({IN_REVIEW}),  # a refused tool is reviewed again before any approval
}

GREEN, YELLOW, RED = "gruen", "gelb", "rot"
DATA_CLASSES = (GREEN, YELLOW, RED)  # from least to most protected

HOSTING_REGIONS = ("eigener_betrieb", "deutschland", "eu", "drittland_angemessen", "drittland")
LICENCE_MODELS = ("je_person", "nutzungsabhaengig", "pauschal", "kostenlos", "open_source")


def status_change_allowed(old: str | None, new: str) -> bool:
    """May a tool go from ``old`` (None: a new tool) to ``new``? Staying is always allowed."""
    if new not in STATUSES:
        return False
    if old is None:
        return new in INITIAL_STATUSES
    return old == new or new in NEXT_STATUS.get(old, frozenset())


SELF_HOSTED = "eigener_betrieb"


def approval_problem(
    status: str, data_class: str, has_dpa: bool, hosting_region: str
) -> str | None:
    """Why a tool cannot have this status with this data class (a message key), or None.

    Gelb covers personal data: a provider processing it needs a data-processing agreement
    (Art. 28 GDPR), so without one a tool is approved for Grün at most. A tool the company
    runs on its own servers has no such provider."""
    if status in USABLE and data_class != GREEN and not has_dpa and hosting_region != SELF_HOSTED:
        return "dpa_needed"
    return None


def allows(tool_class: str, wanted: str) -> bool:
    """Does a tool approved up to ``tool_class`` take data of class ``wanted``?"""
    return DATA_CLASSES.index(tool_class) >= DATA_CLASSES.index(wanted)


def usable_for(tools: list, data_class: str | None = None) -> list:
    """The tools a learner may use (approved or restricted), for ``data_class`` if given: the
    unrestricted ones first, then by name."""
    return sorted(
        (
            tool
            for tool in tools
            if tool.status in USABLE and (data_class is None or allows(tool.data_class, data_class))
        ),
        key=lambda tool: (tool.status != APPROVED, tool.name.casefold()),
    )


def link_problem(status: str, linked: bool) -> str | None:
    """A tool that is not permitted serves no use case (a message key), or None."""
    if status == REFUSED and linked:
        return "refused_tool_linked"
    return None


def review_due(review_on: date | None, today: date) -> bool:
    """The tool's review date has come (or passed)."""
    return review_on is not None and review_on <= today


# A module names the toolbox on a line of its own: "[[toolbox]]" (every usable tool) or
# "[[toolbox:gelb]]" (those approved for that data class). Markdown keeps it as a paragraph of
# its own; the module page replaces it with the company's current list (services.expand_lists).
SHORTCODE_ATTEMPT = re.compile(r"\[\[\s*toolbox\b[^\]]*\]\]?", re.IGNORECASE)
SHORTCODE_LINE = re.compile(r"\A\[\[toolbox(?::([a-z]+))?\]\]\Z")
RENDERED_SHORTCODE = re.compile(r"<p>\[\[toolbox(?::(gruen|gelb|rot))?\]\]</p>")


def shortcode_problem(line: str) -> str | None:
    """Why a line of module Markdown names the toolbox wrongly (German, for `content check`),
    or None when it names it rightly or not at all."""
    if not SHORTCODE_ATTEMPT.search(line):
        return None
    match = SHORTCODE_LINE.match(line.strip())
    if match is None:
        return (
            "„[[toolbox]]“ oder „[[toolbox:gruen|gelb|rot]]“ muss allein auf einer Zeile stehen, "
            "klein geschrieben, ohne Leerzeichen"
        )
    if match.group(1) is not None and match.group(1) not in DATA_CLASSES:
        return (
            f"Unbekannte Datenklasse „{match.group(1)}“ in „{line.strip()}“ "
            f"(erlaubt: {', '.join(DATA_CLASSES)})"
        )
    return None
