"""The shipped curriculum (content/): it passes the check, and every module meets the format."""

import re
from pathlib import Path

import pytest

from lernpfad.content.services import read_content

ROOT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
def bundle():
    found = read_content(ROOT)
    assert found.problems == [], "\n".join(map(str, found.problems))
    return found


def test_module_roles_match_the_paths_they_are_in(bundle):
    for role, item in bundle.paths.items():
        for step in item.data["steps"]:
            if step["module"] in bundle.modules:  # steps without a module show "in Vorbereitung"
                assert role in bundle.modules[step["module"]].data["roles"], (role, step["module"])


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def test_module_length_quiz_and_task(bundle):
    problems = []
    for module_id, item in bundle.modules.items():
        count = words(item.body)
        if not 600 <= count <= 1500:
            problems.append(f"{module_id}: {count} Wörter")
        if len(item.data["quiz"]) < 4:
            problems.append(f"{module_id}: nur {len(item.data['quiz'])} Quizfragen")
        task = item.data["task"]
        if task["review"] and len(task.get("criteria") or []) < 2:
            problems.append(f"{module_id}: Prüfkriterien fehlen")
    assert problems == []


def test_assessment_has_items_for_every_dimension(bundle):
    assessment = bundle.assessments["standard"].data
    dimensions = {d["key"] for d in bundle.competencies.data["dimensions"]}
    assert {s["dimension"] for s in assessment["statements"]} == dimensions
    assert {q["dimension"] for q in assessment["questions"]} == dimensions


def test_no_umlaut_transliterations_in_prose(bundle):
    """German typography: „ä“, not „ae“, in running text (ids and file names may transliterate)."""
    offenders = []
    for module_id, item in bundle.modules.items():
        for word in ("fuer", "koennen", "muessen", "Massnahme", "ueber", "waehrend"):
            if re.search(rf"\b{word}\b", item.body):
                offenders.append(f"{module_id}: {word}")
    assert offenders == []
