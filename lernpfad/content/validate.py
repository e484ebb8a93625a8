"""Checks for every kind of content file. Pure: data in, problems out (German reasons)."""

import re

from lernpfad.content.loader import LineDict, LineList, Problem
from lernpfad.content.readability import sentences
from lernpfad.toolbox.rules import shortcode_problem

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
ROLE_KEYS = ("fuehrungsebene", "fachbereichsleitung", "anwender", "champion")
LEVELS = range(0, 5)
MODULE_LINK = re.compile(r"\]\(modul:([^)\s]*)\)")


class Checker:
    """Collects problems for one file."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int, reason: str) -> None:
        self.problems.append(Problem(self.file, line, reason))

    def mapping(self, data, line: int = 1, what: str = "Die Datei") -> LineDict | None:
        if not isinstance(data, LineDict):
            self.add(
                getattr(data, "line", line), f"{what} muss eine Zuordnung (Schlüssel: Wert) sein"
            )
            return None
        return data

    def field(self, mapping: LineDict, key: str, kind, *, required: bool = True, what: str = ""):
        """The value of ``key`` if present and of the right type, else None (and a problem)."""
        if key not in mapping or mapping[key] is None:
            if required:
                self.add(mapping.line, f"Pflichtfeld „{key}“ fehlt{what}")
            return None
        value = mapping[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if bool in (type(value),) and int in kinds and bool not in kinds:
            self.add(mapping.line_of(key), f"„{key}“ muss eine Zahl sein")
            return None
        if not isinstance(value, kinds):
            names = {
                str: "ein Text",
                int: "eine Zahl",
                list: "eine Liste",
                dict: "eine Zuordnung",
                bool: "true oder false",
            }
            expected = " oder ".join(names.get(k, k.__name__) for k in kinds)
            self.add(mapping.line_of(key), f"„{key}“ muss {expected} sein")
            return None
        if isinstance(value, str) and required and not value.strip():
            self.add(mapping.line_of(key), f"„{key}“ darf nicht leer sein")
            return None
        return value

    def ident(self, mapping: LineDict, key: str = "id") -> str | None:
        value = self.field(mapping, key, str)
        if value is not None and not ID_PATTERN.match(value):
            self.add(mapping.line_of(key), f"„{value}“ ist keine gültige Kennung (a–z, 0–9 und -)")
            return None
        return value


def check_competencies(data, file: str) -> tuple[dict | None, list[Problem]]:
    """The competency model: level names, dimensions with descriptors, roles with targets."""
    c = Checker(file)
    root = c.mapping(data)
    if root is None:
        return None, c.problems
    names = c.field(root, "level_names", dict)
    if names is not None and sorted(names) != list(LEVELS):
        c.add(root.line_of("level_names"), "„level_names“ braucht genau die Stufen 0 bis 4")
    dimensions = c.field(root, "dimensions", list) or []
    keys = []
    for index, item in enumerate(dimensions):
        dim = c.mapping(item, dimensions.line_of(index), "Eine Dimension")
        if dim is None:
            continue
        key = c.ident(dim, "key")
        c.field(dim, "label", str)
        c.field(dim, "description", str)
        levels = c.field(dim, "levels", dict)
        if levels is not None and sorted(levels) != list(LEVELS):
            c.add(
                dim.line_of("levels"),
                f"Dimension „{key}“: „levels“ braucht genau die Stufen 0 bis 4",
            )
        if key in keys:
            c.add(dim.line_of("key"), f"Dimension „{key}“ doppelt")
        elif key:
            keys.append(key)
    roles = c.field(root, "roles", list) or []
    role_keys = []
    for index, item in enumerate(roles):
        role = c.mapping(item, roles.line_of(index), "Eine Rolle")
        if role is None:
            continue
        key = c.field(role, "key", str)
        c.field(role, "label", str)
        if key is not None and key not in ROLE_KEYS:
            c.add(
                role.line_of("key"), f"Unbekannte Rolle „{key}“ (erlaubt: {', '.join(ROLE_KEYS)})"
            )
        role_keys.append(key)
        target = c.field(role, "target", dict)
        if target is None:
            continue
        if set(target) != set(keys):
            missing = sorted(set(keys) - set(target))
            extra = sorted(set(target) - set(keys))
            detail = "; ".join(
                part
                for part in (
                    f"fehlt: {', '.join(missing)}" if missing else "",
                    f"unbekannt: {', '.join(extra)}" if extra else "",
                )
                if part
            )
            c.add(
                role.line_of("target"),
                f"Zielprofil von „{key}“ passt nicht zu den Dimensionen ({detail})",
            )
        for dim_key, level in target.items():
            if not isinstance(level, int) or isinstance(level, bool) or level not in LEVELS:
                c.add(target.line_of(dim_key), f"Zielstufe für „{dim_key}“ muss 0 bis 4 sein")
    for key in ROLE_KEYS:
        if key not in role_keys:
            c.add(root.line_of("roles"), f"Rolle „{key}“ fehlt")
    if c.problems:
        return None, c.problems
    return data, []


def check_choice_question(c: Checker, item, line: int, text_key: str, dimensions=None) -> None:
    """A question with options, zero-based right answers and an explanation."""
    q = c.mapping(item, line, "Eine Frage")
    if q is None:
        return
    c.field(q, text_key, str)
    options = c.field(q, "options", list)
    correct = c.field(q, "correct", list)
    c.field(q, "explanation", str)
    if dimensions is not None:
        dim = c.field(q, "dimension", str)
        if dim is not None and dim not in dimensions:
            c.add(q.line_of("dimension"), f"Unbekannte Dimension „{dim}“")
    if options is not None:
        if len(options) < 2:
            c.add(q.line_of("options"), "Eine Frage braucht mindestens zwei Antwortmöglichkeiten")
        for index, option in enumerate(options):
            if not isinstance(option, str) or not option.strip():
                c.add(options.line_of(index), "Antwortmöglichkeiten müssen Texte sein")
        if len(set(map(str, options))) != len(options):
            c.add(q.line_of("options"), "Zwei Antwortmöglichkeiten sind gleich")
    if correct is not None and options is not None:
        if not correct:
            c.add(q.line_of("correct"), "„correct“ braucht mindestens eine richtige Antwort")
        for index, value in enumerate(correct):
            if (
                not isinstance(value, int)
                or isinstance(value, bool)
                or not 0 <= value < len(options)
            ):
                c.add(
                    correct.line_of(index)
                    if isinstance(correct, LineList)
                    else q.line_of("correct"),
                    f"„correct“ enthält {value!r}: erlaubt sind 0 bis {len(options) - 1}",
                )
        if len(set(map(repr, correct))) != len(correct):
            c.add(q.line_of("correct"), "„correct“ nennt eine Antwort doppelt")


def check_assessment(data, file: str, dimensions: set[str]) -> list[Problem]:
    """The self-assessment: parts A–D, items per dimension, unique ids."""
    c = Checker(file)
    root = c.mapping(data)
    if root is None:
        return c.problems
    c.ident(root)
    c.field(root, "title", str)
    c.field(root, "intro", str)
    part_a = c.field(root, "part_a", dict)
    if part_a is not None:
        c.field(part_a, "question", str)
        options = c.field(part_a, "options", list) or []
        keys = set()
        for index, item in enumerate(options):
            option = c.mapping(item, options.line_of(index), "Eine Funktion")
            if option is None:
                continue
            key = c.ident(option, "key")
            c.field(option, "label", str)
            role = c.field(option, "role", str)
            if role is not None and role not in ROLE_KEYS[:3]:
                c.add(option.line_of("role"), f"„role“ muss eine Grundrolle sein, nicht „{role}“")
            jobs = c.field(option, "job_functions", list, required=False) or []
            if any(not isinstance(job, str) for job in jobs):
                c.add(
                    option.line_of("job_functions"),
                    "„job_functions“ muss eine Liste von Texten sein",
                )
            if key in keys:
                c.add(option.line_of("key"), f"Funktion „{key}“ doppelt")
            keys.add(key)
        if len(options) < 2:
            c.add(part_a.line_of("options"), "Teil A braucht mindestens zwei Funktionen")
    scale = c.field(root, "scale", dict)
    if scale is not None and sorted(scale) != list(LEVELS):
        c.add(root.line_of("scale"), "„scale“ braucht Beschriftungen für 0 bis 4")
    seen_ids: set[str] = set()
    for part, text_key in (("statements", "text"), ("questions", "text")):
        items = c.field(root, part, list) or []
        per_dimension: dict[str, int] = {}
        for index, item in enumerate(items):
            entry = c.mapping(item, items.line_of(index), "Ein Eintrag")
            if entry is None:
                continue
            item_id = c.ident(entry)
            if item_id in seen_ids:
                c.add(entry.line_of("id"), f"Kennung „{item_id}“ doppelt")
            seen_ids.add(item_id)
            if part == "statements":
                c.field(entry, "text", str)
                dim = c.field(entry, "dimension", str)
                if dim is not None and dim not in dimensions:
                    c.add(entry.line_of("dimension"), f"Unbekannte Dimension „{dim}“")
            else:
                check_choice_question(c, entry, items.line_of(index), text_key, dimensions)
                dim = entry.get("dimension")
            if dim in dimensions:
                per_dimension[dim] = per_dimension.get(dim, 0) + 1
        for dim in sorted(dimensions):
            count = per_dimension.get(dim, 0)
            if not 2 <= count <= 3 and items:
                c.add(
                    root.line_of(part),
                    f"„{part}“: Dimension „{dim}“ hat {count} Einträge, erwartet 2–3",
                )
    part_d = c.field(root, "part_d", dict)
    if part_d is not None:
        c.field(part_d, "volunteer_question", str)
        c.field(part_d, "hours_question", str)
        hours = c.field(part_d, "hours_options", list)
        if hours is not None and (
            not hours or any(not isinstance(h, int) or isinstance(h, bool) or h < 0 for h in hours)
        ):
            c.add(
                part_d.line_of("hours_options"),
                "„hours_options“ muss eine Liste ganzer Zahlen ≥ 0 sein",
            )
    return c.problems


def check_path(data, file: str, module_ids: set[str], prerequisites: dict[str, list[str]]):
    """A role's path. Returns (problems, warnings); a step without module is only a warning."""
    c = Checker(file)
    warnings: list[Problem] = []
    root = c.mapping(data)
    if root is None:
        return c.problems, warnings
    role = c.field(root, "role", str)
    if role is not None and role not in ROLE_KEYS:
        c.add(root.line_of("role"), f"Unbekannte Rolle „{role}“")
    expected = file.rsplit("/", 1)[-1].removesuffix(".yaml")
    if role is not None and role != expected:
        c.add(
            root.line_of("role"), f"Die Rolle „{role}“ passt nicht zum Dateinamen ({expected}.yaml)"
        )
    c.field(root, "title", str)
    c.field(root, "description", str, required=False)
    steps = c.field(root, "steps", list) or []
    seen: list[str] = []
    for index, item in enumerate(steps):
        step = c.mapping(item, steps.line_of(index), "Ein Schritt")
        if step is None:
            continue
        module = c.ident(step, "module")
        required = c.field(step, "required", bool, required=False)
        del required
        if module is None:
            continue
        if module in seen:
            c.add(step.line_of("module"), f"Modul „{module}“ steht doppelt im Pfad")
        if module not in module_ids:
            warnings.append(
                Problem(
                    file,
                    step.line_of("module"),
                    f"Modul „{module}“ gibt es (noch) nicht: wird als „in Vorbereitung“ angezeigt",
                )
            )
        for needed in prerequisites.get(module, []):
            if needed not in seen:
                c.add(
                    step.line_of("module"),
                    f"Voraussetzung „{needed}“ von „{module}“ muss im Pfad davor stehen",
                )
        seen.append(module)
    return c.problems, warnings


def check_module(meta, body: str, body_line: int, file: str, dimensions: set[str]) -> list[Problem]:
    """One module's front matter and body (not the references to other modules)."""
    c = Checker(file)
    root = c.mapping(meta, 2, "Der YAML-Kopf")
    if root is None:
        return c.problems
    module_id = c.ident(root)
    expected = file.rsplit("/", 1)[-1].removesuffix(".md")
    if module_id is not None and module_id != expected:
        c.add(
            root.line_of("id"),
            f"Die Kennung „{module_id}“ passt nicht zum Dateinamen ({expected}.md)",
        )
    c.field(root, "title", str)
    c.field(root, "summary", str, required=False)  # replaced by kurz:, no longer shown
    check_summary_box(c, root)
    dim = c.field(root, "dimension", str)
    if dim is not None and dim not in dimensions:
        c.add(root.line_of("dimension"), f"Unbekannte Dimension „{dim}“")
    level = c.field(root, "level", int)
    if level is not None and not 1 <= level <= 4:
        c.add(root.line_of("level"), "„level“ muss 1 bis 4 sein")
    roles = c.field(root, "roles", list)
    if roles is not None:
        if not roles:
            c.add(root.line_of("roles"), "„roles“ darf nicht leer sein")
        for role in roles:
            if role not in ROLE_KEYS:
                c.add(root.line_of("roles"), f"Unbekannte Rolle „{role}“")
    duration = c.field(root, "duration", int)
    if duration is not None and not 1 <= duration <= 600:
        c.add(root.line_of("duration"), "„duration“ muss 1 bis 600 Minuten sein")
    c.field(root, "pflicht", bool, required=False)
    prerequisites = c.field(root, "prerequisites", list, required=False) or []
    for value in prerequisites:
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            c.add(root.line_of("prerequisites"), f"„{value}“ ist keine gültige Modulkennung")
    quiz = c.field(root, "quiz", list)
    if quiz is not None:
        if not quiz:
            c.add(root.line_of("quiz"), "Das Quiz braucht mindestens eine Frage")
        for index, item in enumerate(quiz):
            check_choice_question(c, item, quiz.line_of(index), "question")
    task = c.field(root, "task", dict)
    if task is not None:
        c.field(task, "title", str)
        c.field(task, "instructions", str)
        c.field(task, "deliverable", str)
        review = c.field(task, "review", bool)
        criteria = c.field(task, "criteria", list, required=bool(review))
        if review and criteria is not None and not criteria:
            c.add(task.line_of("criteria"), "Bei „review: true“ braucht die Aufgabe Prüfkriterien")
    if not body.strip():
        c.add(body_line, "Der Modultext fehlt")
    for offset, text in enumerate(body.split("\n")):
        if re.search(r"<\s*(script|iframe|object|style)\b", text, re.I):
            c.add(body_line + offset, "HTML wie <script> ist im Modultext nicht erlaubt")
        _check_toolbox_shortcode(c, body_line + offset, text)
    if isinstance(task, LineDict):
        for key in ("instructions", "deliverable"):
            if isinstance(task.get(key), str):
                # a block (|) starts on the line after its key; a one-line value is on it
                first = task.line_of(key) + (1 if "\n" in task[key] else 0)
                for offset, text in enumerate(task[key].split("\n")):
                    _check_toolbox_shortcode(c, first + offset, text)
    return c.problems


def _check_toolbox_shortcode(c: Checker, line: int, text: str) -> None:
    """The toolbox list ("[[toolbox]]", "[[toolbox:gelb]]"), see lernpfad.toolbox.rules."""
    problem = shortcode_problem(text)
    if problem:
        c.add(line, problem)


KURZ_SENTENCES = range(3, 6)


def check_summary_box(c: Checker, root: LineDict) -> None:
    """„Das Wichtigste in Kürze“ (``kurz:``): 3–5 plain sentences, one a list item."""
    items = c.field(root, "kurz", list)
    if items is None:
        return
    if len(items) not in KURZ_SENTENCES:
        c.add(root.line_of("kurz"), f"„kurz“ braucht 3 bis 5 Sätze, nicht {len(items)}")
    for index, item in enumerate(items):
        line = items.line_of(index)
        if not isinstance(item, str) or not item.strip():
            c.add(line, "„kurz“: jeder Eintrag muss ein Satz (Text) sein")
        elif "\n" in item.strip() or len(sentences([(line, item)])) != 1:
            c.add(line, "„kurz“: jeder Eintrag muss genau ein Satz sein")
        elif not item.rstrip("“”\"')»").endswith((".", "!", "?")):
            c.add(line, "„kurz“: ein Satz endet mit Punkt, Ausrufe- oder Fragezeichen")


def module_links(body: str, body_line: int) -> list[tuple[int, str]]:
    """Internal links `[Titel](modul:id)` with their line numbers."""
    found = []
    for offset, text in enumerate(body.split("\n")):
        for match in MODULE_LINK.finditer(text):
            found.append((body_line + offset, match.group(1)))
    return found


def prerequisite_cycle(prerequisites: dict[str, list[str]]) -> list[str] | None:
    """A cycle among module prerequisites, as a list of ids, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in prerequisites.get(node, []):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if state.get(nxt) is None and nxt in prerequisites:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(prerequisites):
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None


def check_exam_pool(data, file: str, dimensions: set[str]) -> list[Problem]:
    c = Checker(file)
    root = c.mapping(data)
    if root is None:
        return c.problems
    questions = c.field(root, "questions", list) or []
    ids = set()
    for index, item in enumerate(questions):
        check_choice_question(c, item, questions.line_of(index), "text", dimensions)
        if isinstance(item, LineDict):
            item_id = c.ident(item)
            if item_id in ids:
                c.add(item.line_of("id"), f"Kennung „{item_id}“ doppelt")
            ids.add(item_id)
    return c.problems


__all__ = ["Checker", "LineList"]


CERTIFICATION_REQUIREMENTS = ("path", "exam", "projects", "mentoring", "approval")
_POSITIVE = {
    ("exam", "questions"): (1, 200),
    ("exam", "pass_percent"): (1, 100),
    ("exam", "minutes"): (1, 600),
    ("exam", "attempts"): (1, 100),
    ("exam", "cooldown_days"): (0, 365),
    ("projects", "count"): (0, 20),
    ("mentoring", "sessions"): (0, 100),
    ("mentoring", "mentees"): (0, 100),
}


def check_certification(data, file: str, modules: set[str]) -> list[Problem]:
    """The certification requirements (content/certification/champion.yaml)."""
    c = Checker(file)
    root = c.mapping(data)
    if root is None:
        return c.problems
    c.ident(root)
    c.field(root, "title", str)
    c.field(root, "description", str)
    months = c.field(root, "validity_months", int)
    if months is not None and not 1 <= months <= 60:
        c.add(root.line_of("validity_months"), "„validity_months“ muss 1 bis 60 sein")
    requirements = c.field(root, "requirements", dict)
    if requirements is not None:
        for key in CERTIFICATION_REQUIREMENTS:
            if key not in requirements:
                c.add(root.line_of("requirements"), f"Anforderung „{key}“ fehlt")
        for key in requirements:
            if key not in CERTIFICATION_REQUIREMENTS:
                c.add(requirements.line_of(key), f"Unbekannte Anforderung „{key}“")
        for (section, name), (low, high) in _POSITIVE.items():
            block = requirements.get(section)
            if isinstance(block, dict):
                value = c.field(block, name, int)
                if value is not None and not low <= value <= high:
                    c.add(block.line_of(name), f"„{name}“ muss {low} bis {high} sein")
    renewal = c.field(root, "renewal", dict)
    if renewal is not None:
        for module_id in c.field(renewal, "modules", list) or []:
            if module_id not in modules:
                c.add(renewal.line_of("modules"), f"Unbekanntes Modul „{module_id}“")
        c.field(renewal, "sessions", int)
        c.field(renewal, "within_months", int)
    return c.problems


def _minimum(c: Checker, mapping: LineDict, key: str) -> None:
    value = mapping[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        c.add(mapping.line_of(key), f"„{key}“ muss eine Zahl von 0 bis 100 sein")


def check_readability(data, file: str) -> list[Problem]:
    """The readability thresholds (content/readability.yaml): a minimum Flesch reading ease
    for every module and a higher one for the modules on a role's path."""
    c = Checker(file)
    root = c.mapping(data)
    if root is None:
        return c.problems
    for key in root:
        if key != "flesch_minimum":
            c.add(root.line_of(key), f"Unbekannter Schlüssel „{key}“")
    minimum = c.field(root, "flesch_minimum", dict)
    if minimum is None:
        return c.problems
    for key in minimum:
        if key not in ("default", "paths"):
            c.add(minimum.line_of(key), f"Unbekannter Schlüssel „{key}“")
    if minimum.get("default") is None:
        c.add(minimum.line, "Pflichtfeld „default“ fehlt")
    else:
        _minimum(c, minimum, "default")
    paths = c.field(minimum, "paths", dict, required=False) or {}
    for role in paths:
        if role not in ROLE_KEYS:
            c.add(
                paths.line_of(role), f"Unbekannte Rolle „{role}“ (erlaubt: {', '.join(ROLE_KEYS)})"
            )
        else:
            _minimum(c, paths, role)
    return c.problems
