"""The demo's notices, on the demo's timeline: the session notices mentoring.services wrote
when the demo sessions were logged, dated to the evening each was logged and read when it was
answered (Anna's is still unread); a notice for each hand-in the champion accepted, read a day
later unless it came in the last three days."""

from datetime import timedelta

import sqlalchemy as sa

from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.mentoring.models import MentoringSession
from lernpfad.modules.models import Submission
from lernpfad.notices.models import Notice, NoticeKind
from lernpfad.notices.services import notify

FRESH = timedelta(days=3)  # newer notices are still unread


def load_demo_notices() -> None:
    sessions = {
        (s.mentee_id, s.held_on.isoformat(), s.topic): s
        for s in db.session.scalars(sa.select(MentoringSession))
    }
    for notice in db.session.scalars(
        sa.select(Notice).where(Notice.kind == NoticeKind.SESSION_TO_CONFIRM)
    ):
        session = sessions.get(
            (notice.person_id, notice.params.get("held_on"), notice.params.get("topic"))
        )
        if session is not None:
            notice.created_at = session.created_at
            notice.read_at = session.answered_at
    now = utcnow()
    accepted = db.session.scalars(
        sa.select(Submission)
        .where(Submission.status == "accepted", Submission.reviewed_at.is_not(None))
        .order_by(Submission.reviewed_at)
    )
    for submission in accepted:
        notice = notify(
            submission.person,
            NoticeKind.REVIEWED,
            {"title": submission.version.title, "champion": _reviewer_name(submission)},
            link="modules.show",
            link_args={"module_id": submission.module_id},
            at=submission.reviewed_at,
        )
        if now - submission.reviewed_at > FRESH:
            notice.read_at = submission.reviewed_at + timedelta(days=1)
    db.session.flush()


def _reviewer_name(submission: Submission) -> str:
    from lernpfad.auth.models import Person

    reviewer = db.session.get(Person, submission.reviewer_id) if submission.reviewer_id else None
    return reviewer.name if reviewer else ""
