from lernpfad import create_app


def test_health_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_reports_unreachable_database(tmp_path):
    app = create_app(
        {
            "SECRET_KEY": "x",
            # A directory that does not exist: SQLite cannot open the file.
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}",
        },
        instance_path=str(tmp_path / "instance"),
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"
    assert response.get_json()["database"] == "unreachable"
