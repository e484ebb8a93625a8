"""e2a5293c4f59 reads numbers and a unit from the old KPI texts, starts running pilots and turns an
old measured value into the pilot's first reading (SQLite; tests/test_migrations.py checks the
schema on both databases)."""

from pathlib import Path

from flask_migrate import downgrade, upgrade

from lernpfad import create_app
from lernpfad.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
COLUMNS = (
    "id, department_id, title, process, problem, expected_benefit, kpi_name, kpi_baseline,"
    " kpi_target, kpi_measured, score_value, score_feasibility, score_strategic, status,"
    " created_at, updated_at"
)


def test_old_kpi_texts_become_numbers_where_they_parse(tmp_path):
    url = f"sqlite:///{tmp_path / 'data.sqlite3'}"
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url}, instance_path=str(tmp_path)
    )
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision="d1f4182b3e48")
        with db.engine.begin() as connection:
            run = connection.exec_driver_sql
            run("INSERT INTO departments (id, name, created_at) VALUES (1, 'V', '2026-01-01')")
            at = "'2026-11-02 09:00:00', '2026-11-10 09:00:00'"
            run(
                f"INSERT INTO use_cases ({COLUMNS}) VALUES"
                f" (1, 1, 'A', 'p', 'p', 'n', 'Zeit je Angebot (Minuten)', '90', '45', '60',"
                f" 3, 3, 3, 'pilot', {at}),"
                f" (2, 1, 'B', 'p', 'p', 'n', 'Interaktionsrate (%)', '1,2', '2,0', NULL,"
                f" 3, 3, 3, 'idee', {at}),"
                f" (3, 1, 'C', 'p', 'p', 'n', 'Bearbeitungszeit', '12 Minuten', 'halb so lang',"
                f" 'etwa 8', 3, 3, 3, 'pilot', {at}),"
                f" (4, 1, 'D', 'p', 'p', 'n', 'Bewerbungen', '8', '15', '12',"
                f" 3, 3, 3, 'bewertet', {at})"
            )
        upgrade(directory=str(MIGRATIONS), revision="e2a5293c4f59")
        with db.engine.connect() as connection:
            run = connection.exec_driver_sql
            cases = run(
                "SELECT id, kpi_unit, kpi_baseline_value, kpi_target_value, pilot_started_on,"
                " pilot_weeks, kpi_baseline FROM use_cases ORDER BY id"
            ).all()
            readings = run(
                "SELECT use_case_id, measured_on, value, measured_by_id FROM pilot_measurements"
            ).all()
        assert [tuple(row) for row in cases] == [
            (1, "Minuten", 90, 45, "2026-11-10", 6, "90"),
            (2, "%", 1.2, 2.0, None, None, "1,2"),
            (3, "Minuten", 12, None, "2026-11-10", 6, "12 Minuten"),  # the texts stay
            (4, None, 8, 15, None, None, "8"),
        ]
        # 3's „etwa 8“ is no number; 4 is no pilot and was never in use
        assert [tuple(row) for row in readings] == [(1, "2026-11-10", 60, None)]
        downgrade(directory=str(MIGRATIONS), revision="d1f4182b3e48")
        with db.engine.connect() as connection:
            names = {row[1] for row in connection.exec_driver_sql("PRAGMA table_info(use_cases)")}
        assert "kpi_unit" not in names and "kpi_measured" in names
        db.engine.dispose()
