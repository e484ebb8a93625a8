"""Scoring rules of the self-assessment, as pure functions.

The level of a dimension combines what a person says about themselves with what they know:

    level = round( (self-rating + knowledge) / 2 )       (x.5 rounds up)

- self-rating: the mean of the 0–4 ratings of the dimension's statements (part B);
- knowledge: the share of right answers in the dimension's questions (part C), on the same
  0–4 scale (2 of 3 right → 2.67).

Both halves weigh the same, so confidence alone reaches at most level 2, and so does knowledge
alone: enthusiasts and hesitant people are measured on one scale. The result page says it in
words: "Selbsteinschätzung 3, Wissenscheck 1 von 3 richtig → Stufe 2".
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

MAX_LEVEL = 4
CHAMPION_MIN_LEVEL = 2
CHAMPION_DIMENSIONS = ("werkzeuge", "qualitaet")
CHAMPION_MIN_HOURS = 2


def round_half_up(value: Fraction) -> int:
    return int(
        Decimal(value.numerator / Decimal(value.denominator)).quantize(Decimal(1), ROUND_HALF_UP)
    )


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    self_rating: Fraction  # mean of the ratings, 0–4
    correct: int
    total: int
    level: int

    @property
    def knowledge(self) -> Fraction:
        return Fraction(MAX_LEVEL * self.correct, self.total) if self.total else Fraction(0)

    def as_dict(self) -> dict:
        return {
            "self_rating": float(self.self_rating),
            "correct": self.correct,
            "total": self.total,
            "level": self.level,
        }


def dimension_level(ratings: list[int], correct: int, total: int) -> int:
    """The level 0–4 of one dimension from its self-ratings and knowledge-check result."""
    if not ratings or total <= 0:
        raise ValueError("a dimension needs ratings and questions")
    if any(not 0 <= r <= MAX_LEVEL for r in ratings) or not 0 <= correct <= total:
        raise ValueError("ratings must be 0–4 and correct between 0 and total")
    self_rating = Fraction(sum(ratings), len(ratings))
    knowledge = Fraction(MAX_LEVEL * correct, total)
    return round_half_up((self_rating + knowledge) / 2)


def is_correct(chosen: list[int], right: list[int]) -> bool:
    """A question counts as right only when exactly the right options are chosen."""
    return sorted(set(chosen)) == sorted(set(right))


def score_dimensions(
    definition: dict, ratings: dict[str, int], answers: dict[str, list[int]]
) -> dict[str, DimensionScore]:
    """Score every dimension of an assessment definition from complete answers."""
    dims: dict[str, dict] = {}
    for statement in definition["statements"]:
        dims.setdefault(statement["dimension"], {"ratings": [], "correct": 0, "total": 0})
        dims[statement["dimension"]]["ratings"].append(ratings[statement["id"]])
    for question in definition["questions"]:
        entry = dims.setdefault(question["dimension"], {"ratings": [], "correct": 0, "total": 0})
        entry["total"] += 1
        entry["correct"] += is_correct(answers[question["id"]], question["correct"])
    return {
        dim: DimensionScore(
            dimension=dim,
            self_rating=Fraction(sum(v["ratings"]), len(v["ratings"])),
            correct=v["correct"],
            total=v["total"],
            level=dimension_level(v["ratings"], v["correct"], v["total"]),
        )
        for dim, v in dims.items()
    }


def base_role(definition: dict, function_key: str) -> str:
    """Part A: the function decides the base role (Führungsebene, Fachbereichsleitung, Anwender)."""
    for option in definition["part_a"]["options"]:
        if option["key"] == function_key:
            return option["role"]
    raise ValueError(f"unknown function {function_key!r}")


def qualifies_for_champion_path(
    *, volunteered: bool, hours: int, levels: dict[str, int], nominated: bool = False
) -> bool:
    """Champion path: nominated, or volunteered with 2+ hours a week and level ≥ 2 in werkzeuge and qualitaet."""
    if nominated:
        return True
    return (
        volunteered
        and hours >= CHAMPION_MIN_HOURS
        and all(levels.get(dim, 0) >= CHAMPION_MIN_LEVEL for dim in CHAMPION_DIMENSIONS)
    )


def prefill_function(
    definition: dict, job_function: str, *, is_leadership=False, is_head=False
) -> str | None:
    """Part A prefilled from HR data: roles first, then the job title's keywords."""
    options = definition["part_a"]["options"]
    by_role = {option["role"]: option["key"] for option in options}
    if is_leadership and "fuehrungsebene" in by_role:
        return by_role["fuehrungsebene"]
    if is_head and "fachbereichsleitung" in by_role:
        return by_role["fachbereichsleitung"]
    title = (job_function or "").lower()
    if title:
        for option in options:
            if any(keyword.lower() in title for keyword in option.get("job_functions") or []):
                return option["key"]
    return None


def format_number(value: float) -> str:
    """German decimal notation with at most one decimal: 2.5 → "2,5", 3.0 → "3"."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}".replace(".", ",")
