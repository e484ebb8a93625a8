"""Monthly report snapshots: aggregates only, the privacy minimum applied before storing, as of
the month's end, once per month; the reports draw their trends from them, never from live data."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import Department, Person
from lernpfad.content.models import ModuleVersion
from lernpfad.extensions import db
from lernpfad.jobs.models import JobRun
from lernpfad.jobs.services import run_job
from lernpfad.modules.models import ModuleProgress
from lernpfad.reports import charts, rules
from lernpfad.reports.models import ReportSnapshot
from lernpfad.reports.snapshots import take_snapshots
from tests.content_factory import DIMENSIONS
from tests.helpers import login_client as login
from tests.helpers import make_person
from tests.reports.test_pages import assess

BERLIN = ZoneInfo("Europe/Berlin")
LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)

# ---------------------------------------------------------------------------------------------
# Pure rules

FIGURES = {"n": 5, "distribution": {"a": [0, 5, 0, 0, 0]}, "means": {"a": 1.0}}


@pytest.mark.parametrize(
    ("assessed", "competence", "hidden", "stored"),
    [
        (4, {**FIGURES, "n": 4}, False, None),  # a department of 4: no competence stored
        (4, FIGURES, False, None),  # even when figures were handed in
        (5, FIGURES, True, None),  # hidden by the complementary suppression
        (5, None, False, None),  # nothing published
        (5, FIGURES, False, FIGURES),
        (9, {**FIGURES, "extra": [1, 2]}, False, FIGURES),  # only the aggregate keys
    ],
)
def test_the_privacy_minimum_is_applied_before_storing(assessed, competence, hidden, stored):
    row = rules.snapshot(
        staff=10,
        assessed=assessed,
        completed_modules=7,
        learners_with_completion=3,
        coverage=rules.champion_coverage(10, 0.5),
        use_cases={"idee": 2, "pilot": 0},
        competence=competence,
        hidden=hidden,
        min_group=5,
    )
    assert row["competence"] == stored
    assert row == {
        "staff": 10,
        "assessed": assessed,
        "assessed_percent": assessed * 10,
        "completed_modules": 7,
        "learners_with_completion": 3,
        "champions": 0.5,
        "champions_needed": 1,
        "use_cases": {"idee": 2},  # participation is kept for any group size
        "competence": stored,
    }


@pytest.mark.parametrize(
    ("local", "previous"),
    [
        (date(2026, 12, 1), "2026-11"),
        (date(2026, 1, 1), "2025-12"),
        (date(2026, 3, 31), "2026-02"),
    ],
)
def test_previous_month(local, previous):
    assert rules.previous_month(local) == previous


def test_past_months_are_oldest_first():
    assert rules.past_months(date(2026, 2, 14), 3) == ["2025-11", "2025-12", "2026-01"]
    assert rules.past_months(date(2026, 2, 14), 0) == []


@pytest.mark.parametrize(
    ("month", "end"),
    [
        ("2026-11", datetime(2026, 11, 30, 23, 0, tzinfo=UTC)),  # midnight in Berlin, winter
        ("2026-03", datetime(2026, 3, 31, 22, 0, tzinfo=UTC)),  # summer time from 29 March
        ("2026-12", datetime(2026, 12, 31, 23, 0, tzinfo=UTC)),  # into the next year
    ],
)
def test_month_end_is_midnight_in_the_company_time_zone(month, end):
    assert rules.month_end(month, BERLIN) == end


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (0.2, 1), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (143, 200)]
)
def test_nice_top(value, top):
    assert charts.nice_top(value) == top


def test_a_missing_month_leaves_a_gap_in_the_line():
    chart = charts.line_chart([1.0, 2.0, None, 3.0, None, 2.5, 2.0], 4)
    assert len(chart.lines) == 2  # 1–2 and 2.5–2; the single 3.0 is a dot of its own
    assert len(chart.dots) == 5
    assert chart.grid[0][1] == 0 and chart.grid[-1][1] == 4
    x1, y1, x2, y2 = chart.plot
    assert chart.dots[0] == (x1, round(y2 - (y2 - y1) / 4, 1))
    assert chart.dots[-1][0] == x2


def test_months_are_labelled_sparingly_and_always_the_latest():
    chart = charts.line_chart(list(range(12)))
    assert [index for _x, index in chart.months] == [3, 7, 11]
    assert [i for _x, i in charts.line_chart([1, 2]).months] == [0, 1]


def test_the_reference_line_counts_for_the_axis():
    chart = charts.line_chart([0.2, 0.2], reference=[3, 3])
    assert chart.grid[-1][1] == 5 and len(chart.reference) == 1


# ---------------------------------------------------------------------------------------------
# Taking snapshots


def backdate(when: datetime = LONG_AGO) -> None:
    """Everyone and every department existed long before the months under test."""
    db.session.execute(sa.update(Person).values(created_at=when))
    db.session.execute(sa.update(Department).values(created_at=when))


def results_at(when: datetime) -> None:
    from lernpfad.assessments.models import AssessmentResult

    db.session.execute(
        sa.update(AssessmentResult)
        .where(AssessmentResult.completed_at > when)
        .values(completed_at=when)
    )


def snapshot(month: str, group: str = "company") -> ReportSnapshot | None:
    return db.session.scalar(
        sa.select(ReportSnapshot).where(
            ReportSnapshot.month == month, ReportSnapshot.group_key == group
        )
    )


def take(month: str) -> int:
    return take_snapshots(month, DIMENSIONS, 5, BERLIN, datetime(2026, 12, 6, tzinfo=UTC))


@pytest.fixture
def small_and_large(app, people, content):
    """Vertrieb: the six fixture people, five of them assessed (level 2) in October; Einkauf: four
    assessed (level 4) in October. Einkauf is below the minimum, so Vertrieb is hidden too."""
    with app.app_context():
        for n in range(4):
            assess(make_person(f"e{n}@example.org", department_name="Einkauf"), 4)
        for email in ("learner", "champion", "head", "gf", "hr"):
            assess(
                db.session.scalar(sa.select(Person).where(Person.email == f"{email}@example.org")),
                2,
            )
        db.session.flush()
        backdate()
        results_at(datetime(2026, 10, 15, tzinfo=UTC))
        db.session.commit()


def department_key(name: str) -> str:
    return "department:" + str(
        db.session.scalar(sa.select(Department.id).where(Department.name == name))
    )


def test_small_and_hidden_departments_store_no_competence(app, small_and_large):
    with app.app_context():
        assert take("2026-10") == 3
        db.session.commit()
        company = snapshot("2026-10")
        einkauf = snapshot("2026-10", department_key("Einkauf"))
        vertrieb = snapshot("2026-10", department_key("Vertrieb"))
        assert (company.staff, company.assessed) == (10, 9)
        assert company.competence["n"] == 9
        assert company.competence["distribution"]["grundlagen"] == [0, 0, 5, 0, 4]
        assert einkauf.assessed == 4 and einkauf.competence is None  # a department of 4
        assert vertrieb.assessed == 5 and vertrieb.competence is None  # hidden: company − 4
        # Participation is a training record and is kept for every group.
        assert einkauf.assessed_percent == 100 and vertrieb.assessed_percent == 83
        raw = db.session.execute(
            sa.text("SELECT competence FROM report_snapshots WHERE group_key = :key"),
            {"key": einkauf.group_key},
        ).scalar()
        assert raw is None  # SQL NULL, not the JSON text 'null'


def test_a_month_that_exists_is_left_alone(app, small_and_large):
    with app.app_context():
        assert take("2026-10") == 3
        db.session.commit()
        make_person("new@example.org", department_name="Einkauf").created_at = LONG_AGO
        db.session.commit()
        assert take("2026-10") == 0
        assert snapshot("2026-10").staff == 10
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportSnapshot)) == 3


def test_only_what_happened_before_the_month_end_counts(app, small_and_large):
    with app.app_context():
        person = db.session.scalar(sa.select(Person).where(Person.email == "e0@example.org"))
        # 23:30 UTC on 30 November is already 1 December in Berlin: after the month's end.
        early, late = datetime(2026, 11, 10, tzinfo=UTC), datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
        for module_id, completed_at in (("g1", early), ("w1", late)):
            db.session.add(
                ModuleProgress(
                    person_id=person.id,
                    module_id=module_id,
                    version_id=db.session.scalar(
                        sa.select(ModuleVersion.id).where(ModuleVersion.module_id == module_id)
                    ),
                    state="abgeschlossen",
                    completed_at=completed_at,
                )
            )
        assess(make_person("late@example.org", department_name="Einkauf"), 0)
        db.session.flush()
        late_person = db.session.scalar(sa.select(Person).where(Person.email == "late@example.org"))
        late_person.created_at = LONG_AGO
        results_at(datetime(2026, 10, 15, tzinfo=UTC))
        from lernpfad.assessments.models import AssessmentResult

        db.session.execute(
            sa.update(AssessmentResult)
            .where(AssessmentResult.person_id == late_person.id)
            .values(completed_at=late)
        )
        make_person("joined-later@example.org").created_at = datetime(2026, 12, 2, tzinfo=UTC)
        db.session.commit()
        take("2026-11")
        db.session.commit()
        company = snapshot("2026-11")
        assert company.staff == 11  # not who joined in December
        assert company.assessed == 9  # not the result of 1 December, 00:30 Berlin time
        assert (company.completed_modules, company.learners_with_completion) == (1, 1)
        assert company.competence["n"] == 9
        assert snapshot("2026-11", department_key("Einkauf")).assessed == 4


def test_one_more_result_between_two_months_does_not_move_the_competence(app, small_and_large):
    """The differencing attack over time: two monthly figures one person apart would give away
    that person's levels. Snapshots step with the group's publication, in steps of ≥ 5 people."""
    with app.app_context():
        take("2026-10")
        assess(make_person("k1@example.org", department_name="Einkauf"), 0)
        db.session.flush()
        backdate()
        results_at(datetime(2026, 11, 5, tzinfo=UTC))
        take("2026-11")
        db.session.commit()
        october, november = snapshot("2026-10"), snapshot("2026-11")
        assert (october.assessed, november.assessed) == (9, 10)
        assert november.competence == october.competence  # still the step of nine people


# ---------------------------------------------------------------------------------------------
# The job

FIRST_OF_DECEMBER = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 02:00 in Berlin


def test_the_job_snapshots_the_month_just_ended_once(app, small_and_large):
    with app.app_context():
        run = run_job("snapshots", FIRST_OF_DECEMBER)
        assert run.status == "ok" and run.counts == {"groups": 3}
        assert run_job("snapshots", FIRST_OF_DECEMBER + timedelta(days=3)) is None
        manual = run_job("snapshots", FIRST_OF_DECEMBER + timedelta(days=4), manual=True)
        assert manual.status == "ok" and manual.counts == {"groups": 0}
        months = db.session.scalars(
            sa.select(ReportSnapshot.month).where(ReportSnapshot.group_key == "company")
        ).all()
        assert months == ["2026-11"]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(JobRun)) == 2


def test_the_job_is_monthly_on_the_first_at_two(app):
    from lernpfad.jobs.services import jobs

    with app.app_context():
        job = jobs()["snapshots"]
    assert (job.period, job.schedule) == ("month", "0 2 1 * *")


# ---------------------------------------------------------------------------------------------
# The trends in the reports


def stored(group: str, month: str, **figures) -> None:
    values = {
        "staff": 20,
        "assessed": 10,
        "assessed_percent": 50,
        "completed_modules": 0,
        "learners_with_completion": 0,
        "champions": 1.0,
        "champions_needed": 1,
        "use_cases": {},
        "competence": None,
    }
    db.session.add(ReportSnapshot(group_key=group, month=month, **(values | figures)))


def levels(mean: float) -> dict:
    return {
        "n": 7,
        "distribution": {d: [0, 7, 0, 0, 0] for d in DIMENSIONS},
        "means": {d: mean for d in DIMENSIONS},
    }


@pytest.fixture
def history(app, people, content):
    """Company and Vertrieb snapshots with figures nobody could read off the live data."""
    with app.app_context():
        vertrieb = department_key("Vertrieb")
        for month, modules in (("2026-08", 701), ("2026-09", 702), ("2026-10", 703)):
            stored("company", month, completed_modules=modules, competence=levels(1.5))
        stored(vertrieb, "2026-08", completed_modules=331)
        stored(vertrieb, "2026-09", completed_modules=332, competence=levels(2.25))
        stored(vertrieb, "2026-10", completed_modules=333, competence=levels(2.75))
        db.session.commit()
        return vertrieb.split(":")[1]


def trend_section(page: str) -> str:
    start = page.index('id="trend-title"')
    return page[start : page.index("</section>", start)]


def test_hr_and_leadership_see_the_company_trend(app, history):
    for who, path in (("hr", "/berichte/"), ("gf", "/berichte/kennzahlen")):
        page = trend_section(login(app, f"{who}@example.org").get(path).get_data(as_text=True))
        assert "Entwicklung" in page
        assert page.count("<svg") == 3 + len(DIMENSIONS)
        assert page.count("<title") == page.count("<desc") == page.count("<svg")
        assert "<table" in page and "August 2026" in page and "Oktober 2026" in page
        assert ">703<" in page and "702" in page and ">333<" not in page, who


def test_hr_sees_a_department_trend_with_gaps_where_competence_was_withheld(app, history):
    page = login(app, "hr@example.org").get(f"/berichte/?abteilung={history}")
    page = trend_section(page.get_data(as_text=True))
    assert ">333<" in page and ">703<" not in page
    assert "nicht ausgewiesen" in page  # August: no competence stored
    assert "2,2" in page and "2,8" in page  # the means of September and October


def test_a_head_sees_only_their_own_departments_trend(app, history):
    page = login(app, "head@example.org").get("/berichte/bereich").get_data(as_text=True)
    trend = trend_section(page)
    assert ">331<" in trend and ">333<" in trend
    assert "701" not in page and "703" not in page  # never the company's


def test_with_fewer_than_two_snapshots_the_report_says_so(app, people, content):
    hr = login(app, "hr@example.org")
    page = trend_section(hr.get("/berichte/").get_data(as_text=True))
    assert "Bisher sind 0 Monatsstände festgehalten." in page and "<svg" not in page
    with app.app_context():
        stored("company", "2026-11")
        db.session.commit()
    page = trend_section(hr.get("/berichte/").get_data(as_text=True))
    assert "Bisher ist 1 Monatsstand festgehalten." in page and "<svg" not in page


def test_a_trend_without_any_stored_competence_says_why(app, people, content):
    with app.app_context():
        stored("company", "2026-10")
        stored("company", "2026-11", assessed_percent=60)
        db.session.commit()
    page = trend_section(login(app, "gf@example.org").get("/berichte/kennzahlen").get_data(True))
    assert page.count("<svg") == 3
    assert "aus Datenschutzgründen keine Auswertung" in page
