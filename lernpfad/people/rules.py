"""People rules as pure functions: who may grant which role, and the staff import from CSV
(parse the file, check every line, say what would happen)."""

import csv
import io
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from lernpfad.auth.models import Role
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
ROLE_NAMES = {  # accepted role words (lower case) → role; learners need no entry
    "ki-champion": Role.CHAMPION,
    "champion": Role.CHAMPION,
    "fachbereichsleitung": Role.DEPARTMENT_HEAD,
    "department_head": Role.DEPARTMENT_HEAD,
    "führungsebene": Role.LEADERSHIP,
    "leadership": Role.LEADERSHIP,
    "hr": Role.HR,
    "administration": Role.ADMIN,
    "admin": Role.ADMIN,
    "datenschutzbeauftragte/r": Role.DPO,
    "datenschutzbeauftragte": Role.DPO,
    "datenschutzbeauftragter": Role.DPO,
    "datenschutz": Role.DPO,
    "dpo": Role.DPO,
}
LIMITS = {"name": 200, "email": 254, "department": 120, "job_function": 200}

# Roles that open every report, the staff data or the audit log: granted and removed by an
# administrator only.
PRIVILEGED = frozenset({Role.HR, Role.ADMIN, Role.DPO})
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


@dataclass
class Line:
    number: int  # the line in the file, counting the header as line 1
    name: str = ""
    email: str = ""
    department: str = ""
    job_function: str = ""
    roles: set[Role] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)  # message keys, with a detail
    exists: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def parse(text: str) -> list[dict]:
    """Rows of a CSV export (`;` or `,`, with or without BOM) as dicts of known fields.
    Raises ImportFileInvalid("no_header" | "no_name_email" | "too_many" | "empty" | "malformed")."""
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
    rows = []
    for cells in reader:
        number = reader.line_num  # the file line where this record ends (quoted line breaks count)
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileInvalid("too_many")
        row = {"_line": number}
        for key, cell in zip(header, cells, strict=False):
            if key:
                row[key] = cell.strip()
        rows.append(row)
    if not rows:
        raise ImportFileInvalid("empty")
    return rows


def check(
    rows: list[dict], existing_emails: set[str], grantable: set[Role] | frozenset = frozenset(Role)
) -> list[Line]:
    """What would happen to each row: new, already there (skipped), or a problem. Roles outside
    ``grantable`` (see grantable_roles) are a problem of their line."""
    lines, seen = [], {}
    for row in rows:
        line = Line(number=row["_line"])
        for key in ("name", "department", "job_function"):
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
        for word in filter(
            None, (w.strip().lower() for w in row.get("roles", "").replace("|", ",").split(","))
        ):
            if word in ROLE_NAMES and ROLE_NAMES[word] in grantable:
                line.roles.add(ROLE_NAMES[word])
            elif word in ROLE_NAMES:
                line.problems.append(("role_admin_only", word))
            else:
                line.problems.append(("role_unknown", word))
        if line.email and not any(p[0] == "email_invalid" for p in line.problems):
            if line.email in seen:
                line.problems.append(("duplicate", str(seen[line.email])))
            else:
                seen[line.email] = line.number
            line.exists = line.email in existing_emails
        lines.append(line)
    return lines
