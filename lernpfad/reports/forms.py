"""The choice of the Art. 4 evidence (Stichtag and scope), read from a query string.

A plain function, not a WTForms form: the evidence page and its PDF are GET requests that can be
bookmarked, and every bad value must come back as a German message, never as an exception."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from lernpfad.forms import parse_day, small_int

EARLIEST = date(2000, 1, 1)  # no evidence can reach back further than any data

NOT_A_DATE = _l("Der Stichtag ist kein gültiges Datum. Bitte im Format TT.MM.JJJJ angeben.")
IN_THE_FUTURE = _l("Der Stichtag darf nicht in der Zukunft liegen.")
UNKNOWN_DEPARTMENT = _l("Diese Abteilung gibt es nicht. Bitte wählen Sie eine aus der Liste.")


@dataclass(frozen=True)
class EvidenceScope:
    day: date
    department_id: int | None
    errors: dict[str, str] = field(default_factory=dict)  # field name → message


def evidence_scope(
    raw_day: str | None, raw_department: str | None, *, today: date, department_ids
) -> EvidenceScope:
    """The Stichtag (default today; not in the future, not before EARLIEST) and the department
    (empty: the whole company; else one of ``department_ids``). Bad values fall back to the
    defaults and are named in ``errors``."""
    errors = {}
    day = today
    if raw_day and raw_day.strip():
        parsed = parse_day(raw_day)
        if parsed is None:
            errors["stichtag"] = str(NOT_A_DATE)
        elif parsed > today:
            errors["stichtag"] = str(IN_THE_FUTURE)
        elif parsed < EARLIEST:
            errors["stichtag"] = str(
                _l(
                    "Der Stichtag darf nicht vor dem %(date)s liegen.",
                    date=format_date(EARLIEST),
                )
            )
        else:
            day = parsed
    department_id = None
    if raw_department and raw_department.strip():
        department_id = small_int(raw_department)
        if department_id not in department_ids:
            errors["abteilung"] = str(UNKNOWN_DEPARTMENT)
            department_id = None
    return EvidenceScope(day, department_id, errors)
