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
        prose = re.sub(r"\(modul:[a-z0-9-]+\)", "", item.body)  # link targets are ids
        for word in ("fuer", "koennen", "muessen", "Massnahme", "ueber", "waehrend"):
            if re.search(rf"\b{word}\b", prose):
                offenders.append(f"{module_id}: {word}")
    assert offenders == []


def test_check_passes_without_warnings(bundle):
    assert bundle.warnings == [], "\n".join(map(str, bundle.warnings))


def test_at_least_28_modules(bundle):
    assert len(bundle.modules) >= 28


def test_every_path_step_resolves_to_a_module(bundle):
    for role, item in bundle.paths.items():
        for step in item.data["steps"]:
            assert step["module"] in bundle.modules, (role, step["module"])


def test_every_role_target_level_is_covered_by_its_path(bundle):
    """For each role and dimension, the path has a module at every level from 1 to the target."""
    model = bundle.competencies.data
    missing = []
    for role in model["roles"]:
        path = bundle.paths[role["key"]].data["steps"]
        available = {
            (
                bundle.modules[s["module"]].data["dimension"],
                bundle.modules[s["module"]].data["level"],
            )
            for s in path
        }
        for dimension, target in role["target"].items():
            for level in range(1, target + 1):
                if (dimension, level) not in available:
                    missing.append(f"{role['key']}: {dimension} Stufe {level}")
    assert missing == []


def test_article_areas_have_hands_on_modules(bundle):
    for module_id in (
        "praxis-marketing-vertrieb",
        "praxis-kundenservice",
        "praxis-produktentwicklung",
    ):
        assert module_id in bundle.modules


def test_exam_pool_has_40_questions_across_all_dimensions(bundle):
    questions = bundle.exam_pool.data["questions"]
    assert len(questions) >= 40
    dimensions = {d["key"] for d in bundle.competencies.data["dimensions"]}
    assert {q["dimension"] for q in questions} == dimensions


def test_exam_pool_does_not_repeat_assessment_questions(bundle):
    assessment = {q["text"] for q in bundle.assessments["standard"].data["questions"]}
    assert not assessment & {q["text"] for q in bundle.exam_pool.data["questions"]}


def _right_is_longest(questions) -> tuple[int, int]:
    """Single-answer questions, and how many of them have the right option as the strictly longest."""
    single = [q for q in questions if len(q["correct"]) == 1]
    giveaways = 0
    for q in single:
        lengths = [len(option) for option in q["options"]]
        right = lengths[q["correct"][0]]
        giveaways += right == max(lengths) and lengths.count(right) == 1
    return giveaways, len(single)


def test_right_answers_do_not_give_themselves_away_by_length(bundle):
    """Options are shown shuffled, so position tells nothing; length must not either. By chance the
    right one of four options is the longest in a quarter of the questions; allow up to a third."""
    sets = {
        "Module": [q for item in bundle.modules.values() for q in item.data["quiz"]],
        "Prüfungspool": bundle.exam_pool.data["questions"],
        "Wissenscheck": bundle.assessments["standard"].data["questions"],
    }
    for name, questions in sets.items():
        giveaways, total = _right_is_longest(questions)
        assert 3 * giveaways <= total, f"{name}: {giveaways} von {total} Fragen"


MANDATORY = {"recht-ki-richtlinie", "recht-datenschutz-grundregeln", "recht-eu-ai-act"}


def test_policy_data_protection_and_ai_act_are_mandatory_on_every_path(bundle):
    flagged = {mid for mid, item in bundle.modules.items() if item.data.get("pflicht")}
    assert MANDATORY <= flagged
    for role, item in bundle.paths.items():
        required = {s["module"] for s in item.data["steps"] if s.get("required", True)}
        assert MANDATORY <= required, role


def test_an_expert_self_assessment_still_leaves_the_mandatory_modules_open(bundle):
    """Issue: a new person who rated themselves high had 18 of 19 modules optional, the AI Act,
    data protection and the AI policy included."""
    from lernpfad.paths.services import OPEN, ModuleInfo, personalise

    infos = {
        mid: ModuleInfo(
            mid,
            item.data["title"],
            item.data["dimension"],
            item.data["level"],
            item.data["duration"],
            bool(item.data.get("pflicht")),
        )
        for mid, item in bundle.modules.items()
    }
    levels = {d["key"]: 4 for d in bundle.competencies.data["dimensions"]}
    for role, item in bundle.paths.items():
        open_steps = {
            s.module_id for s in personalise(item.data["steps"], levels, infos) if s.state == OPEN
        }
        assert open_steps == MANDATORY, role
