"""Mail goes through the outbox table, so an outage of the mail server loses nothing."""

import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app

from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.jobs.models import OutboxMail

MAX_BACKOFF = timedelta(hours=6)


def queue_mail(*, to: str, subject: str, body: str, html: str | None = None) -> OutboxMail:
    """Put a mail into the outbox (flushed; sent after the caller commits). With ``html`` it is
    sent as multipart/alternative: the text and the same message as HTML."""
    mail = OutboxMail(
        recipient=to,
        subject=str(subject)[:300],
        body=str(body),
        html_body=str(html) if html is not None else None,
    )
    db.session.add(mail)
    db.session.flush()
    return mail


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the n-th failed attempt: 1, 2, 4 … minutes, at most six hours."""
    return min(timedelta(minutes=2 ** max(0, attempts - 1)), MAX_BACKOFF)


LEASE = timedelta(minutes=10)  # a claimed row is left alone this long by other senders


def claim_due(model, row_id: int, now) -> bool:
    """Take one due outbox row (mail, xAPI statement: ``sent_at`` and ``next_attempt_at``) for
    sending; of several senders at once one wins, the others leave it alone for LEASE. Commits."""
    claimed = db.session.execute(
        sa.update(model)
        .where(model.id == row_id, model.sent_at.is_(None), model.next_attempt_at <= now)
        .values(next_attempt_at=now + LEASE)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _claim(mail_id: int) -> bool:
    """Take one due mail for sending; of several senders at once (cron, web requests) one wins."""
    return claim_due(OutboxMail, mail_id, utcnow())


SMTP_TIMEOUT = 10  # seconds per SMTP operation; only ever spent outside web requests


def _message(mail: OutboxMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    if mail.html_body:
        message.add_alternative(mail.html_body, subtype="html")
    return message


def render_mail(template: str, /, **context) -> tuple[str, str]:
    """The text and HTML of a mail from templates/mail/<name>.txt and .html, in the locale in
    force (flask_babel.force_locale). Rendered without request or context processors, so it works
    in the scheduler; links come from the caller (core.links.external_url)."""
    env = current_app.jinja_env
    text = env.get_template(f"mail/{template}.txt").render(**context)
    html = env.get_template(f"mail/{template}.html").render(**context)
    return text.strip() + "\n", html


class _ServerRefused(Exception):
    """The server refused the connection itself (TLS or login): no mail can go now."""


def _connect(config) -> smtplib.SMTP:
    """One SMTP connection as configured: TLS from the start (MAIL_USE_TLS, port 465) or
    upgraded with STARTTLS (MAIL_USE_STARTTLS); logged in when MAIL_USERNAME is set."""
    host, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    if config.get("MAIL_USE_TLS"):
        smtp = smtplib.SMTP_SSL(
            host, port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
    try:
        if config.get("MAIL_USE_STARTTLS") and not config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    except smtplib.SMTPException as error:
        smtp.close()
        raise _ServerRefused(f"{type(error).__name__}: {error}") from error
    except OSError:
        smtp.close()
        raise
    return smtp


# Answers about one mail (its sender, recipients or content), not about the connection.
MAIL_REFUSED = (smtplib.SMTPSenderRefused, smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)


def _failed(mail: OutboxMail, error: Exception) -> None:
    mail.attempts += 1
    mail.last_error = str(error)[:500]
    mail.next_attempt_at = utcnow() + retry_delay(mail.attempts)
    current_app.logger.warning("mail %s not sent: %s", mail.id, error)


def deliver_outbox(limit: int = 50) -> int:
    """Send due mails over one SMTP connection, each claimed first so that no mail goes out
    twice; commits per mail. When the server cannot be reached or stops answering, the run ends
    and the rest waits for the next one. Never call this inside a web request.
    Returns the number sent; without a mail server (MAIL_SERVER empty) nothing is sent."""
    if not current_app.config.get("MAIL_SERVER"):
        current_app.logger.warning("no mail server configured (LERNPFAD_MAIL_SERVER): outbox kept")
        return 0
    due = db.session.scalars(
        sa.select(OutboxMail.id)
        .where(OutboxMail.sent_at.is_(None), OutboxMail.next_attempt_at <= utcnow())
        .order_by(OutboxMail.id)
        .limit(limit)
    ).all()
    sent = 0
    config = current_app.config
    smtp = None
    try:
        for mail_id in due:
            if not _claim(mail_id):
                continue
            mail = db.session.get(OutboxMail, mail_id)
            try:
                if smtp is None:
                    smtp = _connect(config)
                smtp.send_message(_message(mail, config["MAIL_SENDER"]))
            except MAIL_REFUSED as error:
                _failed(mail, error)  # this mail was refused; the next may go through
            except (OSError, _ServerRefused) as error:
                # The server is away or refused the connection (every SMTPException is an
                # OSError, so this comes second): stop, the rest keeps its turn.
                _failed(mail, error)
                db.session.commit()
                break
            else:
                mail.attempts += 1
                mail.sent_at = utcnow()
                sent += 1
            db.session.commit()
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
    return sent


def send_outbox(limit: int = 500) -> int:
    """The outbox job: reset requests become mails, then due mails are sent. For the CLI and
    the scheduler; commits. Returns the number sent."""
    from lernpfad.auth.services import process_reset_requests

    process_reset_requests(valid_hours=current_app.config["RESET_VALID_HOURS"])
    db.session.commit()
    return deliver_outbox(limit=limit)
