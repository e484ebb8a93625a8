import sqlalchemy as sa

from lernpfad.auth.models import Person, Role
from lernpfad.extensions import db


def test_create_admin(app, runner):
    result = runner.invoke(
        args=[
            "lernpfad",
            "create-admin",
            "--email",
            "Chefin@Example.org",
            "--name",
            "Chefin",
            "--password",
            "ein sehr gutes passwort",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        person = db.session.scalar(sa.select(Person).where(Person.email == "chefin@example.org"))
        assert Role.ADMIN in person.roles
    assert (
        app.test_client()
        .post(
            "/anmelden", data={"email": "chefin@example.org", "password": "ein sehr gutes passwort"}
        )
        .status_code
        == 302
    )


def test_create_admin_refuses_weak_password(app, runner):
    result = runner.invoke(
        args=[
            "lernpfad",
            "create-admin",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--password",
            "kurz",
        ]
    )
    assert result.exit_code != 0
    assert "mindestens 12 Zeichen" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0


def test_demo_fills_empty_database_once(app, runner):
    first = runner.invoke(args=["lernpfad", "demo"])
    assert first.exit_code == 0, first.output
    assert "hr@muster.example" in first.output and "lernpfad-demo" in first.output
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Person))
    assert 55 <= count <= 70
    second = runner.invoke(args=["lernpfad", "demo"])
    assert "bereits Daten" in second.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == count


def test_demo_logins_work_with_their_roles(app, runner):
    runner.invoke(args=["lernpfad", "demo"])
    expected = {
        "hr@muster.example": Role.HR,
        "gf@muster.example": Role.LEADERSHIP,
        "leitung.vertrieb@muster.example": Role.DEPARTMENT_HEAD,
        "champion@muster.example": Role.CHAMPION,
        "anna@muster.example": Role.LEARNER,
        "neu@muster.example": Role.LEARNER,
    }
    with app.app_context():
        for email, role in expected.items():
            person = db.session.scalar(sa.select(Person).where(Person.email == email))
            assert role in person.roles, email
    client = app.test_client()
    assert (
        client.post(
            "/anmelden", data={"email": "neu@muster.example", "password": "lernpfad-demo"}
        ).status_code
        == 302
    )


def test_send_mail_delivers_the_outbox(app_factory, smtp_server):
    from lernpfad.jobs.mail import queue_mail
    from lernpfad.jobs.models import OutboxMail

    app = app_factory(MAIL_PORT=smtp_server.port)
    with app.app_context():
        for n in range(3):
            queue_mail(to=f"p{n}@example.org", subject="Betreff", body="Text")
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["lernpfad", "send-mail", "--limit", "2"])
    assert "2 Mail(s) gesendet." in result.output
    assert len(smtp_server.messages) == 2
    with app.app_context():
        waiting = db.session.scalars(sa.select(OutboxMail).where(OutboxMail.sent_at.is_(None)))
        assert [m.recipient for m in waiting] == ["p2@example.org"]


def test_two_senders_at_once_send_each_mail_once(app_factory, smtp_server):
    import threading

    from lernpfad.jobs.mail import deliver_outbox, queue_mail

    app = app_factory(MAIL_PORT=smtp_server.port)
    with app.app_context():
        for n in range(6):
            queue_mail(to=f"p{n}@example.org", subject="Betreff", body="Text")
        db.session.commit()
    barrier = threading.Barrier(2)

    def send():
        with app.app_context():
            barrier.wait()
            deliver_outbox()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    recipients = sorted(m["To"] for m in smtp_server.messages)
    assert recipients == [f"p{n}@example.org" for n in range(6)]
