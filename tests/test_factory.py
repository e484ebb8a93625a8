import sqlalchemy as sa

from lernpfad import create_app
from lernpfad.config import from_environment, instance_secret_key
from lernpfad.extensions import db


def test_testing_flag_and_database(app):
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"]


def test_secret_key_is_created_once_and_kept_in_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("LERNPFAD_SECRET_KEY", raising=False)
    instance = tmp_path / "instance"
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a.db'}"}
    first = create_app(config, instance_path=str(instance))
    second = create_app(config, instance_path=str(instance))
    key_file = instance / "secret_key"
    assert key_file.exists()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert len(first.config["SECRET_KEY"]) >= 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()


def test_workers_starting_together_share_one_secret_key(tmp_path):
    """Several gunicorn workers (or two test runs) start on a fresh instance folder at once:
    every one reads the same key, none fails because another created the file first."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(6) as pool:
        keys = pool.map(instance_secret_key, [str(tmp_path)] * 24)
    assert len(set(keys)) == 1 and len(keys[0]) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left


def test_environment_variables_override_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("LERNPFAD_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("LERNPFAD_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("LERNPFAD_SESSION_IDLE_MINUTES", "5")
    monkeypatch.setenv("LERNPFAD_SESSION_COOKIE_SECURE", "true")
    app = create_app(instance_path=str(tmp_path / "instance"))
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.db")
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["SESSION_IDLE_MINUTES"] == 5
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_test_variables_are_not_configuration():
    assert from_environment({"LERNPFAD_TEST_DATABASE_URL": "x", "OTHER": "y"}) == {}


def test_default_database_is_sqlite_in_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("LERNPFAD_DATABASE_URL", raising=False)
    instance = tmp_path / "instance"
    app = create_app({"SECRET_KEY": "x"}, instance_path=str(instance))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'lernpfad.sqlite3'}"


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path):
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"},
        instance_path=str(tmp_path / "instance"),
    )
    with app.app_context():
        assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(sa.text("PRAGMA busy_timeout")).scalar() == 5000
