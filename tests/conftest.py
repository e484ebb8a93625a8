"""Fixtures in the flaskr style: app, client, runner, auth — a fresh database per test.

The suite runs on SQLite (a new file per test) and, when LERNPFAD_TEST_DATABASE_URL is set,
on that PostgreSQL database (tables created once, emptied after every test).
"""

import os

import pytest
import sqlalchemy as sa

from lernpfad import create_app
from lernpfad.auth.models import Role
from lernpfad.extensions import db
from tests.content_factory import write_content
from tests.helpers import PASSWORD, make_person

pytest_plugins = ["tests.mail"]

TEST_DATABASE_URL = os.environ.get("LERNPFAD_TEST_DATABASE_URL")


def skip_or_fail(reason: str):
    """Locally a missing browser or database skips; under CI=true it fails."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: this must not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def server_database():
    """The PostgreSQL database, emptied once per session; None on SQLite."""
    if not TEST_DATABASE_URL:
        return None
    engine = sa.create_engine(TEST_DATABASE_URL)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    except sa.exc.OperationalError as error:
        skip_or_fail(f"PostgreSQL not reachable at {TEST_DATABASE_URL}: {error}")
    finally:
        engine.dispose()
    return TEST_DATABASE_URL


def test_config(url: str, **extra) -> dict:
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": 1,  # nothing listens: mail stays in the outbox unless a test starts a server
        "ALLOWED_HOSTS": "localhost",  # the test client's host, also when a test sets BASE_URL
    }
    config.update(extra)
    return config


_EMPTYING: list[str] = []


def empty_tables() -> None:
    """Every table emptied and every id counter back at 1, in one round trip. DELETE on the
    few rows a test leaves costs milliseconds; TRUNCATE of all tables cost about 90 ms, which
    over the whole suite was minutes."""
    if not _EMPTYING:
        sequences = db.session.scalars(
            sa.text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
        ).all()
        _EMPTYING.append(
            "; ".join(
                [f'DELETE FROM "{t.name}"' for t in reversed(db.metadata.sorted_tables)]
                + [f'ALTER SEQUENCE "{name}" RESTART' for name in sequences]
            )
        )
    db.session.connection().exec_driver_sql(_EMPTYING[0])
    db.session.commit()


@pytest.fixture(scope="session")
def content_dir(tmp_path_factory):
    """A small valid content tree (tests/content_factory.py)."""
    return str(write_content(tmp_path_factory.mktemp("content")))


@pytest.fixture
def app_factory(tmp_path, server_database, content_dir):
    """Build apps on this test's database; extra config per call."""
    url = server_database or f"sqlite:///{tmp_path / 'test.sqlite3'}"
    made = []

    def build(**extra):
        extra.setdefault("CONTENT_DIR", content_dir)
        application = create_app(
            test_config(url, **extra), instance_path=str(tmp_path / "instance")
        )
        with application.app_context():
            db.create_all()
        made.append(application)
        return application

    yield build
    for index, application in enumerate(made):
        with application.app_context():
            db.session.remove()
            if server_database and index == 0:
                empty_tables()
            db.engine.dispose()


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email="learner@example.org", password=PASSWORD):
        return self._client.post("/anmelden", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/abmelden")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def people(app):
    """One person per role, all with the password PASSWORD."""
    with app.app_context():
        made = {
            "learner": make_person("learner@example.org", name="Lea Lernend"),
            "champion": make_person("champion@example.org", roles={Role.CHAMPION}),
            "head": make_person("head@example.org", roles={Role.DEPARTMENT_HEAD}),
            "leadership": make_person("gf@example.org", roles={Role.LEADERSHIP}),
            "hr": make_person("hr@example.org", roles={Role.HR}),
            "admin": make_person("admin@example.org", roles={Role.ADMIN}),
        }
        db.session.commit()
        return {key: person.id for key, person in made.items()}


@pytest.fixture
def content(app, content_dir):
    """The test content tree imported into this test's database."""
    from lernpfad.content.services import sync_content

    with app.app_context():
        sync_content(content_dir)
        db.session.commit()
    return content_dir
