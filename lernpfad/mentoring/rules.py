"""Who may review whose practical task, as a pure function."""

FEEDBACK_MAX_CHARS = 5000


def may_review(
    *,
    reviewer_id: int,
    reviewer_is_champion: bool,
    reviewer_active: bool,
    reviewer_departments: set[int],
    learner_id: int,
    learner_department: int | None,
) -> bool:
    """An active champion reviews the tasks of the departments they look after — never their own."""
    return (
        reviewer_is_champion
        and reviewer_active
        and reviewer_id != learner_id
        and learner_department is not None
        and learner_department in reviewer_departments
    )
