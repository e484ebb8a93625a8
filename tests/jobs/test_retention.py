"""The retention clean-up empties old answers (levels stay) and deletes what has expired."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from lernpfad.assessments.models import AssessmentAttempt, AssessmentResult
from lernpfad.auth.models import AccountToken, LoginFailure, Person, TokenPurpose
from lernpfad.auth.services import issue_token
from lernpfad.extensions import db
from lernpfad.jobs.models import OutboxMail
from lernpfad.jobs.retention import clean_up
from tests.reports.test_pages import assess

NOW = datetime(2026, 12, 6, 3, 30, tzinfo=UTC)


def test_old_answers_go_levels_stay_expired_records_are_deleted(app, people):
    with app.app_context():
        learner = db.session.get(Person, people["learner"])
        assess(learner, 3)
        attempt = db.session.scalar(sa.select(AssessmentAttempt))
        attempt.answers = {"ratings": {"b-1": 3}}
        attempt.completed_at = NOW - timedelta(days=25 * 31)  # older than 24 months
        issue_token(learner, TokenPurpose.RESET, timedelta(days=-30))  # long expired
        db.session.add(
            LoginFailure(email="x@example.org", client="ip:1", at=NOW - timedelta(days=2))
        )
        db.session.add(LoginFailure(email="y@example.org", client="ip:1", at=NOW))
        old = OutboxMail(
            recipient="a@example.org", subject="s", body="Link", sent_at=NOW - timedelta(days=40)
        )
        new = OutboxMail(recipient="b@example.org", subject="s", body="Link", sent_at=NOW)
        db.session.add_all([old, new])
        db.session.flush()
        counts = clean_up(NOW)
        assert counts == {
            "assessment_answers": 1,
            "quiz_answers": 0,
            "one_time_links": 1,
            "failed_logins": 1,
            "reset_requests": 0,
            "sent_mails": 1,
            "read_notices": 0,
            "reminder_records": 0,
        }
        assert db.session.scalar(sa.select(AssessmentAttempt)).answers == {}
        assert db.session.scalar(sa.select(AssessmentResult)).levels["recht"] == 3
        assert clean_up(NOW)["assessment_answers"] == 0  # counted once
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AccountToken)) == 0
        assert [m.recipient for m in db.session.scalars(sa.select(OutboxMail))] == ["b@example.org"]


def test_read_notices_go_after_90_days_unread_ones_stay(app, people):
    from lernpfad.jobs.models import ReminderLog
    from lernpfad.notices.models import Notice
    from lernpfad.notices.services import notify

    with app.app_context():
        learner = db.session.get(Person, people["learner"])
        old = NOW - timedelta(days=91)
        read_old = notify(learner, "reassessment", at=old)
        read_old.read_at = old + timedelta(days=1)
        notify(learner, "inactivity", at=old)  # unread: stays however old
        read_new = notify(learner, "due_soon", at=NOW - timedelta(days=10))
        read_new.read_at = NOW
        for kind, key in (("inactivity", "2025-10-01"), ("reassessment", "7")):
            db.session.add(
                ReminderLog(
                    person_id=learner.id, kind=kind, key=key, sent_at=NOW - timedelta(days=401)
                )
            )
        db.session.flush()
        counts = clean_up(NOW)
        assert (counts["read_notices"], counts["reminder_records"]) == (1, 1)
        assert sorted(n.kind for n in db.session.scalars(sa.select(Notice))) == [
            "due_soon",
            "inactivity",
        ]
        # The invitation stays keyed by its result, so that it is never sent twice.
        assert db.session.scalars(sa.select(ReminderLog.kind)).all() == ["reassessment"]
