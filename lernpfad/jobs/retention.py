"""The retention clean-up: what is kept only for a while is removed once its time is up.

Self-assessment and quiz answers older than RETENTION_ANSWERS_MONTHS are emptied (the levels
and completions stay); used or expired one-time links, failed logins outside the throttling
window, old reset requests and sent mails (they may hold links) are deleted, and so are read
notices after RETENTION_READ_NOTICES_DAYS and reminder records no longer needed to send each
reminder once. Returns the counts, which the job run records."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from lernpfad.extensions import db

REMINDER_RECORD_DAYS = 400  # longer than any window a reminder is keyed by (a certificate: a year)


def clean_up(now: datetime) -> dict[str, int]:
    from lernpfad.assessments.models import AssessmentAttempt
    from lernpfad.auth.models import AccountToken, LoginFailure, ResetRequest
    from lernpfad.jobs.models import OutboxMail, ReminderLog
    from lernpfad.modules.models import QuizAttempt
    from lernpfad.notices.models import Notice

    config = current_app.config
    answers_before = now - timedelta(days=round(30.44 * config["RETENTION_ANSWERS_MONTHS"]))
    counts = {
        "assessment_answers": db.session.execute(
            sa.update(AssessmentAttempt)
            .where(
                AssessmentAttempt.completed_at.is_not(None),
                AssessmentAttempt.completed_at < answers_before,
                sa.cast(AssessmentAttempt.answers, sa.Text) != "{}",
            )
            .values(answers={})
        ).rowcount,
        "quiz_answers": db.session.execute(
            sa.update(QuizAttempt)
            .where(
                QuizAttempt.at < answers_before,
                sa.cast(QuizAttempt.answers, sa.Text) != "{}",
            )
            .values(answers={})
        ).rowcount,
        "one_time_links": db.session.execute(
            sa.delete(AccountToken).where(
                sa.or_(AccountToken.used_at.is_not(None), AccountToken.expires_at < now)
            )
        ).rowcount,
        "failed_logins": db.session.execute(
            sa.delete(LoginFailure).where(
                LoginFailure.at < now - timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"])
            )
        ).rowcount,
        "reset_requests": db.session.execute(
            sa.delete(ResetRequest).where(ResetRequest.requested_at < now - timedelta(days=1))
        ).rowcount,
        "sent_mails": db.session.execute(
            sa.delete(OutboxMail).where(
                OutboxMail.sent_at.is_not(None),
                OutboxMail.sent_at < now - timedelta(days=config["RETENTION_SENT_MAIL_DAYS"]),
            )
        ).rowcount,
        "read_notices": db.session.execute(
            sa.delete(Notice).where(
                Notice.read_at.is_not(None),
                Notice.created_at < now - timedelta(days=config["RETENTION_READ_NOTICES_DAYS"]),
            )
        ).rowcount,
        # Each reminder is keyed by a day, week, due date or certificate threshold that lies
        # behind after this long — except a re-assessment invitation, keyed by the result it
        # follows, which must stay while that result is the person's latest.
        "reminder_records": db.session.execute(
            sa.delete(ReminderLog).where(
                ReminderLog.kind != "reassessment",
                ReminderLog.sent_at < now - timedelta(days=REMINDER_RECORD_DAYS),
            )
        ).rowcount,
    }
    db.session.flush()
    return counts
