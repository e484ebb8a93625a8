"""How long the demo company takes to build, by size: total and per step, database size.

    .venv/bin/python bench/demo_build.py                        # SQLite: 1,000, 5,000, 20,000 staff
    .venv/bin/python bench/demo_build.py --staff 50 2000 --profile 25
    .venv/bin/python bench/demo_build.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/lernpfad_me

For each size it builds a fresh database (migrations, then load_demo with that many staff spread
over the five departments, as `flask --app lernpfad lernpfad demo --staff N` does, and a commit)
and prints one table: staff, people, seconds per step of load_demo and in all, and the SQLite
file's size. With --profile N it also prints the N functions with the most cumulative time
(cProfile; the times in the table are then inflated by the profiler). A PostgreSQL database
given with --database-url is emptied first (DROP SCHEMA public).
"""

import argparse
import cProfile
import importlib
import io
import pstats
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # not bench/: a module there may share a name with the standard library

from bench.pages import empty_postgres  # noqa: E402
from lernpfad import create_app, demo  # noqa: E402
from lernpfad.extensions import db  # noqa: E402

# The steps of load_demo, each timed: (module, function, column).
STEPS = [
    ("lernpfad.content.services", "sync_content", "Inhalte"),
    ("lernpfad.assessments.demo", "load_demo_assessments", "Selbsteinsch."),
    ("lernpfad.usecases.demo", "load_demo_use_cases", "Anw.-fälle"),
    ("lernpfad.mentoring.demo", "load_demo_champions", "Champions"),
    ("lernpfad.modules.demo", "load_demo_progress", "Fortschritt"),
    ("lernpfad.certification.demo", "load_demo_certification", "Zertifikate"),
    ("lernpfad.notices.demo", "load_demo_notices", "Hinweise"),
    ("lernpfad.reports.snapshots", "snapshot_past_months", "Snapshots"),
]


@contextmanager
def timed_steps(seconds: dict[str, float]):
    """Wrap each step (load_demo imports them when it runs) to add up its time."""
    originals = []
    for module_name, name, label in STEPS:
        module = importlib.import_module(module_name)
        original = getattr(module, name)
        originals.append((module, name, original))

        def wrapper(*args, _original=original, _label=label, **kwargs):
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                seconds[_label] = seconds.get(_label, 0) + time.perf_counter() - started

        setattr(module, name, wrapper)
    try:
        yield
    finally:
        for module, name, original in originals:
            setattr(module, name, original)


def build(url: str, staff: int, instance: Path, profile: int) -> tuple[dict, str]:
    from flask_migrate import upgrade

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "CONTENT_DIR": str(ROOT / "content"),
            "MAIL_PORT": 1,
        },
        instance_path=str(instance),
    )
    seconds: dict[str, float] = {}
    report = ""
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        with timed_steps(seconds):
            if profiler:
                profiler.enable()
            people = demo.load_demo(
                str(ROOT / "content"), staff_per_department=demo.spread_staff(staff)
            )
            db.session.commit()
            if profiler:
                profiler.disable()
        seconds["gesamt"] = time.perf_counter() - started
        seconds["people"] = len(people)
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(profile)
            report = out.getvalue()
        db.engine.dispose()
    return seconds, report


def table(rows: list[tuple[int, dict, str]]) -> str:
    labels = [label for _m, _f, label in STEPS]
    head = ("Mitarbeitende", "Personen", *labels, "gesamt s", "Datei")
    lines = [
        (
            f"{staff:,}",
            f"{seconds['people']:,}",
            *(f"{seconds.get(label, 0):.1f}" for label in labels),
            f"{seconds['gesamt']:.1f}",
            size,
        )
        for staff, seconds, size in rows
    ]
    widths = [max(len(c) for c in col) for col in zip(head, *lines, strict=True)]
    out = [" | ".join(h.rjust(w) for h, w in zip(head, widths, strict=True))]
    out.append("-|-".join("-" * w for w in widths))
    out += [" | ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--database-url", help="default: a new SQLite file per size")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    rows = []
    for staff in args.staff:
        with tempfile.TemporaryDirectory() as tmp:
            file = Path(tmp) / "demo.sqlite3"
            url = args.database_url or f"sqlite:///{file}"
            if url.startswith("postgresql"):
                empty_postgres(url)
            seconds, report = build(url, staff, Path(tmp) / "instance", args.profile)
            size = f"{file.stat().st_size / 1e6:.0f} MB" if file.exists() else "–"
            rows.append((staff, seconds, size))
            if report:
                print(f"\n{staff:,} Mitarbeitende, cProfile:\n{report}")
    print()
    print(table(rows))


if __name__ == "__main__":
    main()
