"""Mail goes through the outbox table, so an outage of the mail server loses nothing."""

import smtplib
from datetime import timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app

from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.jobs.models import OutboxMail

MAX_BACKOFF = timedelta(hours=6)


def queue_mail(*, to: str, subject: str, body: str) -> OutboxMail:
    """Put a mail into the outbox (flushed; sent after the caller commits)."""
    mail = OutboxMail(recipient=to, subject=str(subject)[:300], body=str(body))
    db.session.add(mail)
    db.session.flush()
    return mail


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the n-th failed attempt: 1, 2, 4 … minutes, at most six hours."""
    return min(timedelta(minutes=2 ** max(0, attempts - 1)), MAX_BACKOFF)


LEASE = timedelta(minutes=10)  # a claimed mail is left alone this long by other senders


def _claim(mail_id: int) -> bool:
    """Take one due mail for sending; of several senders at once (cron, web requests) one wins."""
    now = utcnow()
    claimed = db.session.execute(
        sa.update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            OutboxMail.sent_at.is_(None),
            OutboxMail.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + LEASE)
    ).rowcount
    db.session.commit()
    return claimed == 1


def deliver_outbox(limit: int = 50) -> int:
    """Send due mails, each claimed first so that no mail goes out twice; commits per mail.
    Returns the number sent."""
    due = db.session.scalars(
        sa.select(OutboxMail.id)
        .where(OutboxMail.sent_at.is_(None), OutboxMail.next_attempt_at <= utcnow())
        .order_by(OutboxMail.id)
        .limit(limit)
    ).all()
    sent = 0
    config = current_app.config
    for mail_id in due:
        if not _claim(mail_id):
            continue
        mail = db.session.get(OutboxMail, mail_id)
        message = EmailMessage()
        message["From"] = config["MAIL_SENDER"]
        message["To"] = mail.recipient
        message["Subject"] = mail.subject
        message.set_content(mail.body)
        try:
            with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=5) as smtp:
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            mail.attempts += 1
            mail.last_error = str(error)[:500]
            mail.next_attempt_at = utcnow() + retry_delay(mail.attempts)
            current_app.logger.warning("mail %s not sent: %s", mail.id, error)
        else:
            mail.attempts += 1
            mail.sent_at = utcnow()
            sent += 1
        db.session.commit()
    return sent
