"""People rules as pure functions: who may grant which role, and the staff import from CSV
(parse the file, check every line, say what would happen)."""

import csv
import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from lernpfad.auth.models import ANONYMOUS_DOMAIN, Role
from lernpfad.auth.services import normalise_email
from lernpfad.forms import has_control_characters

MAX_ROWS = 5000
COLUMNS = {  # accepted header names (lower case) → field
    "name": "name",
    "e-mail": "email",
    "email": "email",
    "e-mail-adresse": "email",
    "abteilung": "department",
    "department": "department",
    "funktion": "job_function",
    "stellenbezeichnung": "job_function",
    "job": "job_function",
    "job_function": "job_function",
    "rollen": "roles",
    "rolle": "roles",
    "roles": "roles",
}
ROLE_NAMES = {  # accepted role words (lower case) → role; everyone is a learner anyway
    "lernende/r": Role.LEARNER,
    "lernende": Role.LEARNER,
    "lernender": Role.LEARNER,
    "learner": Role.LEARNER,
    "ki-champion": Role.CHAMPION,
    "champion": Role.CHAMPION,
    "fachbereichsleitung": Role.DEPARTMENT_HEAD,
    "department_head": Role.DEPARTMENT_HEAD,
    "führungsebene": Role.LEADERSHIP,
    "leadership": Role.LEADERSHIP,
    "hr": Role.HR,
    "hr / personalentwicklung": Role.HR,
    "personalentwicklung": Role.HR,
    "administration": Role.ADMIN,
    "admin": Role.ADMIN,
    "datenschutzbeauftragte/r": Role.DPO,
    "datenschutzbeauftragte": Role.DPO,
    "datenschutzbeauftragter": Role.DPO,
    "datenschutz": Role.DPO,
    "dpo": Role.DPO,
    "ki-koordination": Role.AI_COORDINATION,
    "ai_coordination": Role.AI_COORDINATION,
}
LIMITS = {"name": 200, "email": 254, "department": 120, "job_function": 200}

# Roles that open every report, the staff data or the audit log, or decide which AI tools the
# company approves (KI-Koordination): granted and removed by an administrator only.
PRIVILEGED = frozenset({Role.HR, Role.ADMIN, Role.DPO, Role.AI_COORDINATION})
STAFF_ADMINS = frozenset({Role.HR, Role.ADMIN})


def role_change_problem(
    actor_roles: set[Role] | None, *, own: bool, before: set[Role], after: set[Role]
) -> str | None:
    """Why this change of roles is not allowed (a message key), or None when it is.

    ``actor_roles`` None is the command line (the server's operator). Nobody changes their own
    roles; HR and administrators manage roles; HR and administration are granted and removed by
    an administrator only."""
    changed = set(before) ^ set(after)
    if not changed or actor_roles is None:
        return None
    if own:
        return "own_roles"
    if not actor_roles & STAFF_ADMINS:
        return "not_allowed"
    if changed & PRIVILEGED and Role.ADMIN not in actor_roles:
        return "admin_only"
    return None


def manager_cycle(person_id: int, manager_id: int, managers: dict[int, int | None]) -> bool:
    """Would making ``manager_id`` the manager of ``person_id`` close a loop (oneself included)?
    ``managers`` maps person id → manager id as it is now."""
    seen = set()
    current: int | None = manager_id
    while current is not None and current not in seen:
        if current == person_id:
            return True
        seen.add(current)
        current = managers.get(current)
    return False


def grantable_roles(actor_roles: set[Role] | None) -> set[Role]:
    """The roles this person may give to others (see role_change_problem)."""
    if actor_roles is None or Role.ADMIN in actor_roles:
        return set(Role)
    if actor_roles & STAFF_ADMINS:
        return set(Role) - PRIVILEGED
    return set()


class ImportFileInvalid(ValueError):
    """The file as a whole cannot be read; the message key says why."""


@dataclass(frozen=True)
class Current:
    """A person as stored now, in plain values (people.services.current_people)."""

    id: int
    email: str
    name: str
    department: str  # the department's name, "" for none
    job_function: str
    roles: frozenset[Role]
    active: bool = True

    @property
    def anonymised(self) -> bool:
        return self.email.endswith(ANONYMOUS_DOMAIN)


@dataclass(frozen=True)
class Change:
    """One field of an existing person: before → after (roles without the learner role)."""

    field: str  # "name", "department", "job_function" or "roles"
    before: str | frozenset[Role]
    after: str | frozenset[Role]


NEW, UNCHANGED, CHANGED, INACTIVE, ERROR = "new", "unchanged", "changed", "inactive", "error"
COMPARED = ("name", "department", "job_function")  # text fields, in the preview's order


@dataclass
class Line:
    number: int  # the line in the file, counting the header as line 1
    name: str = ""
    email: str = ""
    department: str = ""
    job_function: str = ""
    roles: set[Role] = field(default_factory=set)  # the roles the line names
    problems: list[tuple[str, str]] = field(default_factory=list)  # message keys, with a detail
    person_id: int | None = None  # the existing person with this address
    inactive: bool = False  # … who is deactivated: the import leaves them as they are
    changes: list[Change] = field(default_factory=list)
    roles_after: frozenset[Role] | None = None  # the person's new role set, None: unchanged
    notes: list[str] = field(default_factory=list)  # "own_roles": the importer's own stay

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def exists(self) -> bool:
        return self.person_id is not None

    @property
    def status(self) -> str:
        if self.problems:
            return ERROR
        if self.person_id is None:
            return NEW
        if self.inactive:
            return INACTIVE
        return CHANGED if self.changes else UNCHANGED


def parse(text: str) -> list[dict]:
    """Rows of a CSV export (`;` or `,`, with or without BOM) as dicts of known fields; every row
    has each known column of the header (a missing cell is ""), so a row's keys say which columns
    the file has. Raises ImportFileInvalid("no_header" | "no_name_email" | "too_many" | "empty"
    | "malformed")."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ImportFileInvalid("empty")
    if "\x00" in text:
        raise ImportFileInvalid("malformed")
    try:
        return _parse(text)
    except csv.Error:  # e.g. a field over the csv module's 128 KB limit
        raise ImportFileInvalid("malformed") from None


def _parse(text: str) -> list[dict]:
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [COLUMNS.get(h.strip().lower()) for h in next(reader)]
    if not any(header):
        raise ImportFileInvalid("no_header")
    if "name" not in header or "email" not in header:
        raise ImportFileInvalid("no_name_email")
    empty = dict.fromkeys(filter(None, header), "")
    rows = []
    for cells in reader:
        number = reader.line_num  # the file line where this record ends (quoted line breaks count)
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileInvalid("too_many")
        row = {"_line": number, **empty}
        for key, cell in zip(header, cells, strict=False):
            if key and (cell.strip() or not row[key]):  # a second column of a kind fills gaps
                row[key] = cell.strip()
        rows.append(row)
    if not rows:
        raise ImportFileInvalid("empty")
    return rows


def differences(
    current: Current, wanted: dict, *, grantable: set[Role] | frozenset[Role], own: bool = False
) -> tuple[list[Change], frozenset[Role] | None, list[str]]:
    """What an import line changes on an existing person.

    ``wanted`` holds the columns the file has: name, department, job_function as text ("" empties
    the field) and roles as the set the line names. Missing columns change nothing. The named
    roles replace the person's roles among ``grantable`` (see grantable_roles); the other roles
    stay, like on the person form, and so do the importer's own roles (``own``: note
    "own_roles" when the line names others). Returns the changes in the preview's order, the
    person's full new role set (None when the roles stay) and the notes."""
    changes = [
        Change(key, getattr(current, key), wanted[key])
        for key in COMPARED
        if key in wanted and wanted[key] != getattr(current, key)
    ]
    roles_after, notes = None, []
    if "roles" in wanted:
        named = set(wanted["roles"]) - {Role.LEARNER}
        if own:
            if named != current.roles - {Role.LEARNER}:
                notes.append("own_roles")
        else:
            changeable = set(grantable) - {Role.LEARNER}
            after = frozenset((current.roles - changeable) | (named & changeable) | {Role.LEARNER})
            if after != current.roles:
                roles_after = after
                changes.append(
                    Change("roles", current.roles - {Role.LEARNER}, after - {Role.LEARNER})
                )
    return changes, roles_after, notes


def check(
    rows: list[dict],
    people: Mapping[str, Current],
    grantable: set[Role] | frozenset = frozenset(Role),
    *,
    actor_id: int | None = None,
) -> list[Line]:
    """What would happen to each row: a new person, an existing one unchanged or changed (see
    differences), an inactive one left alone, or a problem. ``people`` maps normalised e-mail
    addresses to the stored people (at least those of the file). Naming a role outside
    ``grantable`` is a problem of its line, unless the person has it already (or is the importer,
    whose roles stay, or inactive)."""
    lines, seen = [], {}
    for row in rows:
        line = Line(number=row["_line"])
        for key in COMPARED:
            setattr(line, key, row.get(key, ""))
        raw_email = row.get("email", "")
        if not line.name:
            line.problems.append(("name_missing", ""))
        if not raw_email:
            line.problems.append(("email_missing", ""))
        else:
            line.email = normalise_email(raw_email)
            try:
                validate_email(raw_email, check_deliverability=False)
            except EmailNotValidError:
                line.email = raw_email
                line.problems.append(("email_invalid", raw_email))
        for key, limit in LIMITS.items():
            if len(getattr(line, key)) > limit:
                line.problems.append(("too_long", key))
            elif has_control_characters(getattr(line, key)):
                line.problems.append(("control_characters", key))
        named: dict[Role, str] = {}  # role → the word that named it first
        for word in filter(
            None, (w.strip().lower() for w in row.get("roles", "").replace("|", ",").split(","))
        ):
            if word in ROLE_NAMES:
                named.setdefault(ROLE_NAMES[word], word)
            else:
                line.problems.append(("role_unknown", word))
        line.roles = set(named)
        current = None
        if line.email and not any(p[0] == "email_invalid" for p in line.problems):
            if line.email in seen:
                line.problems.append(("duplicate", str(seen[line.email])))
            else:
                seen[line.email] = line.number
            current = people.get(line.email)
        own = current is not None and current.id == actor_id
        for role, word in named.items():
            unchanged = current is not None and (own or not current.active or role in current.roles)
            if role not in grantable and not unchanged:
                line.problems.append(("role_admin_only", word))
        if current is not None:
            line.person_id, line.inactive = current.id, not current.active
            if current.active and line.ok:
                wanted = {key: getattr(line, key) for key in COMPARED if key in row}
                if "roles" in row:
                    wanted["roles"] = line.roles
                line.changes, line.roles_after, line.notes = differences(
                    current, wanted, grantable=grantable, own=own
                )
        lines.append(line)
    return lines


@dataclass
class Plan:
    """What an import would do: the checked lines and, for a full sync ("Vollabgleich"), who is
    deactivated because the file does not name them, and who stays active anyway (with the
    role_change_problem key that forbids deactivating them)."""

    lines: list[Line]
    full_sync: bool = False
    deactivate: list[Current] = field(default_factory=list)
    kept: list[tuple[Current, str]] = field(default_factory=list)
    sync_refused: bool = False  # a full sync of a file with errors deactivates nobody

    @property
    def ok(self) -> bool:
        return all(line.ok for line in self.lines)

    def count(self, status: str) -> int:
        return sum(1 for line in self.lines if line.status == status)

    @property
    def stores_anything(self) -> bool:
        return bool(self.deactivate) or any(line.status in (NEW, CHANGED) for line in self.lines)

    @property
    def needs_confirmation(self) -> bool:
        """Existing people change: only after a preview that shows it."""
        return bool(self.deactivate) or any(line.status == CHANGED for line in self.lines)

    def digest(self) -> str:
        """A fingerprint of everything the import would do (and to whom): a confirmation applies
        the import only when it still does exactly what its preview showed."""

        def plain(value):
            return sorted(role.value for role in value) if isinstance(value, frozenset) else value

        state = {
            "lines": [
                [
                    line.number,
                    line.email,
                    line.person_id,
                    line.status,
                    [[c.field, plain(c.before), plain(c.after)] for c in line.changes],
                    line.notes,
                ]
                for line in self.lines
            ],
            "full_sync": self.full_sync,
            "sync_refused": self.sync_refused,
            "deactivate": sorted(p.id for p in self.deactivate),
            "kept": sorted(p.id for p, _ in self.kept),
        }
        return hashlib.sha256(json.dumps(state, separators=(",", ":")).encode()).hexdigest()


def plan_import(
    rows: list[dict],
    people: Mapping[str, Current],
    *,
    actor_id: int | None,
    actor_roles: set[Role] | None,
    full_sync: bool = False,
) -> Plan:
    """Check the rows (see check) and, with ``full_sync``, find the active people the file does
    not name: ``people`` must then hold everyone. Nobody is deactivated from a file with errors
    (an error line may be a person who would be deactivated wrongly), nor the importer, nor
    anyone the importer may not deactivate (role_change_problem, like deactivating by hand);
    anonymised people are inactive anyway."""
    lines = check(rows, people, grantable_roles(actor_roles), actor_id=actor_id)
    plan = Plan(lines, full_sync=full_sync)
    if not full_sync:
        return plan
    if not plan.ok:
        plan.sync_refused = True
        return plan
    named = {line.email for line in lines}
    for person in sorted(people.values(), key=lambda p: (p.name.casefold(), p.id)):
        if not person.active or person.anonymised or person.email in named:
            continue
        problem = role_change_problem(
            actor_roles, own=person.id == actor_id, before=set(person.roles), after=set()
        )
        if problem:
            plan.kept.append((person, problem))
        else:
            plan.deactivate.append(person)
    return plan
