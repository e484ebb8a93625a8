"""The documentation's rules as pure functions: which tables refer to a person, who may open
which endpoint (the role matrix, from the marks lernpfad.access reads), and the DPIA screening
derived from the configuration."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

PUBLIC = "public"  # @public: also without login
LOGIN = "login"  # unmarked: every logged-in person

# Column names that hold a person's identity without a foreign key (an e-mail address, a network
# address, an id kept apart from the people table).
PERSON_COLUMN_NAMES = frozenset({"email", "recipient", "client", "person_id"})


def person_reference_columns(table: sa.Table, person_table: str = "people") -> list[str]:
    """The columns of ``table`` that point at a person: foreign keys to ``person_table`` and
    columns named like a person's address or id."""
    found = []
    for column in table.columns:
        to_person = any(fk.column.table.name == person_table for fk in column.foreign_keys)
        if to_person or column.name in PERSON_COLUMN_NAMES:
            found.append(column.name)
    return found


def person_tables(
    metadata: sa.MetaData, keyed: Iterable[str] = (), person_table: str = "people"
) -> set[str]:
    """Every table with a person reference: the people table, tables with a person column, and
    the ``keyed`` ones named explicitly (a column that holds people's ids in a list)."""
    names = set(metadata.tables)
    found = {person_table} & names
    found |= {
        name
        for name, table in metadata.tables.items()
        if person_reference_columns(table, person_table)
    }
    return found | (set(keyed) & names)


def access_of(view) -> str | frozenset:
    """PUBLIC, LOGIN or the frozenset of roles a view is marked with (lernpfad.access)."""
    if getattr(view, "lernpfad_public", False):
        return PUBLIC
    roles = getattr(view, "lernpfad_roles", None)
    return frozenset(roles) if roles else LOGIN


def may_open(access: str | frozenset, role) -> bool:
    """Whether a logged-in person holding only ``role`` passes the role check."""
    if access in (PUBLIC, LOGIN):
        return True
    return role in access


@dataclass(frozen=True)
class Route:
    endpoint: str
    rules: tuple[str, ...]  # its addresses
    methods: tuple[str, ...]
    access: str | frozenset


@dataclass(frozen=True)
class MatrixRow:
    endpoint: str
    rules: tuple[str, ...]
    methods: tuple[str, ...]
    public: bool
    allowed: tuple[bool, ...]  # one per role, in the matrix's role order

    @property
    def blueprint(self) -> str:
        return self.endpoint.split(".", 1)[0] if "." in self.endpoint else ""


@dataclass(frozen=True)
class Area:
    blueprint: str
    rows: tuple[MatrixRow, ...]


def role_matrix(routes: Iterable[Route], roles: Sequence) -> list[Area]:
    """The routes grouped by blueprint (in the order they come), each with a yes/no per role."""
    areas: dict[str, list[MatrixRow]] = {}
    for route in routes:
        row = MatrixRow(
            endpoint=route.endpoint,
            rules=route.rules,
            methods=route.methods,
            public=route.access == PUBLIC,
            allowed=tuple(may_open(route.access, role) for role in roles),
        )
        areas.setdefault(row.blueprint, []).append(row)
    return [Area(blueprint, tuple(rows)) for blueprint, rows in areas.items()]


# DPIA screening (Art. 35 GDPR): the nine criteria of the EDPB guidelines (WP 248 rev. 01), which
# the DSK's list builds on. Answers: yes | partly | no | open (for the DPO to judge).
CRITERIA = (
    "scoring",
    "automated_decision",
    "monitoring",
    "sensitive_data",
    "large_scale",
    "matching",
    "vulnerable",
    "innovative",
    "prevents_rights",
)


def dpia_screening(*, individual_mode: bool, lrs: bool, sso: bool) -> dict[str, str]:
    """Each criterion's answer as far as the configuration decides it."""
    return {
        "scoring": "yes" if individual_mode else "partly",
        "automated_decision": "no",
        "monitoring": "partly" if lrs else "no",
        "sensitive_data": "no",
        "large_scale": "open",
        "matching": "yes" if lrs else ("partly" if sso else "no"),
        "vulnerable": "yes",  # employees depend on their employer (WP 248)
        "innovative": "no",
        "prevents_rights": "no",
    }


def dpia_result(answers: dict[str, str]) -> str:
    """recommended (two or more criteria met, the EDPB's rule of thumb) | consider (one met and
    one partly) | not_required — always for the DPO to decide."""
    met = sum(1 for answer in answers.values() if answer == "yes")
    partly = sum(1 for answer in answers.values() if answer == "partly")
    if met >= 2:
        return "recommended"
    if met == 1 and partly >= 1 or partly >= 2:
        return "consider"
    return "not_required"
