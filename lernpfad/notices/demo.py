"""The demo's notices, on the demo's timeline: the session notices mentoring.services wrote
when the demo sessions were logged, dated to the evening each was logged and read when it was
answered (Anna's is still unread); a notice for each hand-in the champion accepted, read a day
later unless it came in the last three days."""

from datetime import timedelta

import sqlalchemy as sa

from lernpfad.auth.models import Person
from lernpfad.content.models import ModuleVersion
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.mentoring.models import MentoringSession
from lernpfad.modules.models import Submission
from lernpfad.notices.models import Notice, NoticeKind

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
    # One query and one flush, however many hand-ins the company has: notices.services.notify's
    # records, written directly.
    Reviewer = sa.orm.aliased(Person)
    accepted = db.session.execute(
        sa.select(
            Submission.person_id,
            Submission.module_id,
            Submission.reviewed_at,
            ModuleVersion.title,
            Reviewer.name,
        )
        .join(ModuleVersion, ModuleVersion.id == Submission.version_id)
        .outerjoin(Reviewer, Reviewer.id == Submission.reviewer_id)
        .where(Submission.status == "accepted", Submission.reviewed_at.is_not(None))
        .order_by(Submission.reviewed_at, Submission.id)
    )
    db.session.add_all(
        Notice(
            person_id=person_id,
            kind=str(NoticeKind.REVIEWED),
            params={"title": title, "champion": reviewer or ""},
            link_endpoint="modules.show",
            link_args={"module_id": module_id},
            created_at=reviewed_at,
            read_at=reviewed_at + timedelta(days=1) if now - reviewed_at > FRESH else None,
        )
        for person_id, module_id, reviewed_at, title, reviewer in accepted
    )
    db.session.flush()
