"""The retention clean-up: what is kept only for a while is removed once its time is up.

Self-assessment and quiz answers older than RETENTION_ANSWERS_MONTHS are emptied (the levels
and completions stay); used or expired one-time links, failed logins outside the throttling
window, old reset requests and sent mails (they may hold links) are deleted. Returns the counts,
which the job run records."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from lernpfad.extensions import db


def clean_up(now: datetime) -> dict[str, int]:
    from lernpfad.assessments.models import AssessmentAttempt
    from lernpfad.auth.models import AccountToken, LoginFailure, ResetRequest
    from lernpfad.jobs.models import OutboxMail
    from lernpfad.modules.models import QuizAttempt

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
    }
    db.session.flush()
    return counts
