"""The four steps of the assessment and the parsing of one step's form (pure functions)."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

STEPS = (
    ("function", _l("Ihre Funktion")),
    ("ratings", _l("Selbsteinschätzung")),
    ("knowledge", _l("Wissenscheck")),
    ("champion", _l("Mitwirkung")),
)
LAST_STEP = len(STEPS)


@dataclass
class StepInput:
    values: dict
    errors: list[str]
    missing: list[str] = field(default_factory=list)  # ids of unanswered statements or questions


def _int(raw: str) -> int | None:
    raw = (raw or "").strip()
    if not raw.isascii() or not raw.lstrip("-").isdecimal() or len(raw) > 3:
        return None
    return int(raw)


def parse_step(definition: dict, step: int, form) -> StepInput:
    """Validate the answers of one step (a MultiDict-like form); unknown fields are refused."""
    errors: list[str] = []
    values: dict = {}
    missing: list[str] = []
    known = {"csrf_token", "action"}
    if step == 1:
        known.add("function")
        keys = {option["key"] for option in definition["part_a"]["options"]}
        choice = form.get("function", "")
        if not choice:
            errors.append(str(_l("Bitte wählen Sie Ihre Funktion.")))
        elif choice not in keys:
            errors.append(str(_l("Die gewählte Funktion gibt es nicht.")))
        else:
            values["function"] = choice
    elif step == 2:
        ratings = {}
        for statement in definition["statements"]:
            name = statement["id"]
            known.add(name)
            raw = form.get(name, "")
            if raw == "":
                missing.append(name)
                continue
            value = _int(raw)
            if value is None or not 0 <= value <= 4:
                errors.append(str(_l("Ungültiger Wert für eine Aussage (erlaubt sind 0 bis 4).")))
                continue
            ratings[name] = value
        if missing:
            errors.append(
                ngettext(
                    "Bitte bewerten Sie alle Aussagen (%(num)d fehlt).",
                    "Bitte bewerten Sie alle Aussagen (%(num)d fehlen).",
                    len(missing),
                )
            )
        values["ratings"] = ratings
    elif step == 3:
        answers = {}
        for question in definition["questions"]:
            name = question["id"]
            known.add(name)
            raw_values = form.getlist(name)
            if not raw_values:
                missing.append(name)
                continue
            chosen = [_int(v) for v in raw_values]
            if any(v is None or not 0 <= v < len(question["options"]) for v in chosen) or len(
                set(chosen)
            ) != len(chosen):
                errors.append(str(_l("Ungültige Antwort bei einer Frage.")))
                continue
            if len(question["correct"]) == 1 and len(chosen) > 1:
                errors.append(
                    str(
                        _l(
                            "Bei einer Frage mit einer richtigen Antwort ist nur eine Auswahl möglich."
                        )
                    )
                )
                continue
            answers[name] = sorted(chosen)
        if missing:
            errors.append(
                ngettext(
                    "Bitte beantworten Sie alle Fragen (%(num)d fehlt).",
                    "Bitte beantworten Sie alle Fragen (%(num)d fehlen).",
                    len(missing),
                )
            )
        values["answers"] = answers
    elif step == 4:
        known.update({"volunteer", "hours"})
        volunteer = form.get("volunteer", "")
        if volunteer not in {"ja", "nein"}:
            errors.append(str(_l("Bitte geben Sie an, ob Sie als KI-Champion mitwirken möchten.")))
        else:
            values["volunteer"] = volunteer == "ja"
        hours = _int(form.get("hours", ""))
        allowed = definition["part_d"]["hours_options"]
        if form.get("hours", "") == "":
            errors.append(
                str(_l("Bitte geben Sie an, wie viele Stunden pro Woche Sie einsetzen könnten."))
            )
        elif hours not in allowed:
            errors.append(str(_l("Ungültige Stundenzahl.")))
        else:
            values["hours"] = hours
    else:
        errors.append(str(_l("Diesen Schritt gibt es nicht.")))
    unknown = [name for name in form.keys() if name not in known]
    if unknown:
        errors.append(
            str(
                _l(
                    "Unbekannte Angaben im Formular: %(names)s",
                    names=", ".join(sorted(unknown)[:5]),
                )
            )
        )
    return StepInput(values, errors, missing)
