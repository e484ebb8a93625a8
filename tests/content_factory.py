"""Writes a small, valid content tree for tests (the real curriculum is tested on its own)."""

from pathlib import Path

import yaml

DIMENSIONS = ["grundlagen", "werkzeuge", "qualitaet", "recht", "prozesse", "strategie", "wandel"]
TARGETS = {
    "fuehrungsebene": [2, 1, 2, 3, 2, 3, 3],
    "fachbereichsleitung": [2, 2, 2, 2, 3, 2, 3],
    "anwender": [2, 3, 3, 2, 2, 1, 1],
    "champion": [3, 4, 3, 3, 3, 2, 3],
}
# id: (dimension, level, prerequisites, review)
MODULES = {
    "g1": ("grundlagen", 1, [], False),
    "w1": ("werkzeuge", 1, ["g1"], False),
    "w2": ("werkzeuge", 2, ["w1"], True),
    "q1": ("qualitaet", 1, ["g1"], False),
}


def competencies() -> dict:
    return {
        "level_names": {
            0: "Keine Kenntnisse",
            1: "Einsteiger",
            2: "Anwender",
            3: "Fortgeschritten",
            4: "Experte",
        },
        "dimensions": [
            {
                "key": key,
                "label": f"Dimension {key}",
                "description": f"Worum es in {key} geht",
                "levels": {level: f"{key} auf Stufe {level}" for level in range(5)},
            }
            for key in DIMENSIONS
        ],
        "roles": [
            {
                "key": role,
                "label": role.title(),
                "target": dict(zip(DIMENSIONS, levels, strict=True)),
            }
            for role, levels in TARGETS.items()
        ],
    }


def assessment() -> dict:
    return {
        "id": "standard",
        "title": "KI-Selbsteinschätzung",
        "intro": "Einleitung.",
        "part_a": {
            "question": "Welche Funktion haben Sie?",
            "options": [
                {
                    "key": "geschaeftsfuehrung",
                    "label": "Geschäftsführung",
                    "role": "fuehrungsebene",
                    "job_functions": ["geschäftsführ"],
                },
                {
                    "key": "leitung",
                    "label": "Leitung",
                    "role": "fachbereichsleitung",
                    "job_functions": ["leiter", "leitung"],
                },
                {"key": "fachkraft", "label": "Fachkraft", "role": "anwender"},
            ],
        },
        "scale": {0: "gar nicht", 1: "kaum", 2: "teils", 3: "eher", 4: "voll"},
        "statements": [
            {"id": f"b-{dim}-{n}", "dimension": dim, "text": f"Ich kann {dim} {n}."}
            for dim in DIMENSIONS
            for n in (1, 2)
        ],
        "questions": [
            {
                "id": f"c-{dim}-{n}",
                "dimension": dim,
                "text": f"Frage {dim} {n}?",
                "options": ["richtig", "falsch", "auch falsch"]
                if n == 1
                else ["a", "b (richtig)", "c (richtig)"],
                "correct": [0] if n == 1 else [1, 2],
                "explanation": "Weil.",
            }
            for dim in DIMENSIONS
            for n in (1, 2)
        ],
        "part_d": {
            "volunteer_question": "Mitmachen?",
            "hours_question": "Stunden?",
            "hours_options": [0, 1, 2, 3, 4],
        },
    }


def module_text(
    module_id: str, dimension: str, level: int, prerequisites: list, review: bool
) -> str:
    meta = {
        "id": module_id,
        "title": f"Modul {module_id}",
        "kurz": [
            f"Sie kennen die Grundlagen von {module_id}.",
            "Sie wenden sie an Ihrer eigenen Arbeit an.",
            "Die eine Regel: Sie prüfen jedes Ergebnis.",
        ],
        "dimension": dimension,
        "level": level,
        "roles": ["anwender", "fachbereichsleitung", "fuehrungsebene", "champion"],
        "duration": 15,
        "prerequisites": prerequisites,
        "quiz": [
            {
                "question": f"Frage {i}?",
                "options": ["ja", "nein", "vielleicht"],
                "correct": [0],
                "explanation": "Darum.",
            }
            for i in range(1, 6)
        ],
        "task": {
            "title": f"Aufgabe {module_id}",
            "instructions": "Tun Sie **etwas** an Ihrer echten Arbeit.",
            "deliverable": "Ihr Ergebnis in Stichworten.",
            "review": review,
            "criteria": ["Konkret", "Nachvollziehbar"] if review else [],
        },
    }
    body = f'## Worum es geht\n\nText von {module_id}.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n!!! tip "Praxistipp"\n    Ein Tipp.\n'
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body


def write_content(root: Path, *, paths_extra: list[str] = ()) -> Path:
    root = Path(root)
    (root / "modules").mkdir(parents=True, exist_ok=True)
    (root / "assessments").mkdir(exist_ok=True)
    (root / "paths").mkdir(exist_ok=True)
    (root / "certification").mkdir(exist_ok=True)
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    (root / "competencies.yaml").write_text(dump(competencies()), encoding="utf-8")
    (root / "assessments" / "standard.yaml").write_text(dump(assessment()), encoding="utf-8")
    for module_id, (dim, level, pre, review) in MODULES.items():
        (root / "modules" / f"{module_id}.md").write_text(
            module_text(module_id, dim, level, pre, review), encoding="utf-8"
        )
    for role in TARGETS:
        steps = [{"module": m, "required": True} for m in ["g1", "w1", "q1", "w2", *paths_extra]]
        (root / "paths" / f"{role}.yaml").write_text(
            dump(
                {
                    "role": role,
                    "title": f"Pfad {role}",
                    "description": "Beschreibung.",
                    "steps": steps,
                }
            ),
            encoding="utf-8",
        )
    (root / "certification" / "exam-pool.yaml").write_text(
        dump(
            {
                "questions": [
                    {
                        "id": "exam-1",
                        "dimension": "recht",
                        "text": "Frage?",
                        "options": ["a", "b"],
                        "correct": [1],
                        "explanation": "b.",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    return root
