"""Priority of a use case (a pure function) and its status flow.

Priority = 40 % business value + 30 % feasibility + 30 % strategic relevance, each scored 1–5,
shown on a 0–100 scale: (weighted mean − 1) / 4 × 100. Value weighs most because a use case
without measurable value is a prestige project; feasibility and strategy decide the order among
valuable ones. Ties are broken by value, then feasibility (quick wins first).

Who works on which department's use cases is a pure rule too (``use_case_scope``).
"""

from dataclasses import dataclass

WEIGHTS = {"value": 4, "feasibility": 3, "strategic": 3}  # tenths

STATUSES = ("idee", "bewertet", "pilot", "im_einsatz", "verworfen")
NEXT_STATUS = {
    "idee": {"bewertet", "verworfen"},
    "bewertet": {"pilot", "verworfen", "idee"},
    "pilot": {"im_einsatz", "verworfen", "bewertet"},
    "im_einsatz": {"verworfen", "pilot"},
    "verworfen": {"idee"},
}


def priority_score(value: int, feasibility: int, strategic: int) -> int:
    """0–100 from three scores 1–5."""
    for score in (value, feasibility, strategic):
        if not 1 <= score <= 5:
            raise ValueError("scores are 1–5")
    tenths = (
        WEIGHTS["value"] * value
        + WEIGHTS["feasibility"] * feasibility
        + WEIGHTS["strategic"] * strategic
    )
    # (tenths/10 − 1) / 4 × 100 = (tenths − 10) × 2.5, rounded half up in integers
    return ((tenths - 10) * 5 + 1) // 2


def rank(use_cases: list) -> list:
    """Highest priority first; rejected ones last."""
    return sorted(
        use_cases,
        key=lambda u: (
            u.status == "verworfen",
            -priority_score(u.score_value, u.score_feasibility, u.score_strategic),
            -u.score_value,
            -u.score_feasibility,
            u.title.lower(),
        ),
    )


def status_change_allowed(old: str, new: str) -> bool:
    return old == new or new in NEXT_STATUS.get(old, set())


@dataclass(frozen=True)
class UseCaseScope:
    """Whose use cases a person sees and works on."""

    departments: frozenset[int]  # sees, registers and edits use cases, sees who linked a task
    whole_company: bool  # reads every department's use cases (leadership, HR)

    def may_view(self, department_id: int) -> bool:
        return self.whole_company or department_id in self.departments

    def may_edit(self, department_id: int) -> bool:
        return department_id in self.departments


def use_case_scope(
    *,
    is_head: bool,
    is_champion: bool,
    is_company_viewer: bool,
    own_department: int | None,
    looked_after: set[int],
) -> UseCaseScope:
    """A department head works on their own department's use cases; a champion on those of every
    department they look after: their own and those HR assigned them (``looked_after``, which may
    hold the own one too). Leadership and HR read the whole company's."""
    own = {own_department} if own_department is not None else set()
    departments = set(own) if is_head else set()
    if is_champion:
        departments |= own | looked_after
    return UseCaseScope(frozenset(departments), is_company_viewer)
