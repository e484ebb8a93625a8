"""Monthly snapshots of the report figures, and the trends the reports draw from them.

On the 1st of every month the job ``snapshots`` (jobs/snapshots.py) stores the figures of the
month that just ended, for the company and every department, as they stood at its end
(reports.figures counts "as of" a moment). Only aggregates are stored, with the privacy minimum
applied before storing (rules.snapshot). Competence figures are the group's publication
(figures.publish), so a trend and the live page step through the same figures: no two shown
figures of a group differ by fewer than PRIVACY_MIN_GROUP people.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, get_template_attribute
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.reports import charts, figures, rules
from lernpfad.reports.models import ReportSnapshot

TREND_MONTHS = 12  # the reports show at most a year
RENDERED_KEEP = 256  # trend sections kept rendered per app (groups × languages)


def _in_group(department_id: int | None, group: int | None) -> bool:
    """Whether a row of ``department_id`` counts for ``group`` (None: the company)."""
    return group is None or department_id == group


def take_snapshots(
    month: str,
    dimensions: list[str],
    min_group: int,
    timezone: ZoneInfo,
    now: datetime | None = None,
) -> int:
    """Store ``month``'s ("YYYY-MM") figures for the company and every department, as of the
    month's end. A month that has snapshots already is left as it is (returns 0); otherwise
    returns the number of groups stored. Flushes; the caller commits."""
    exists = sa.select(ReportSnapshot.id).where(ReportSnapshot.month == month).limit(1)
    if db.session.scalar(exists) is not None:
        return 0
    end = rules.month_end(month, timezone)
    last_moment = end - timedelta(seconds=1)  # what the competence figures stand for
    departments = figures.departments(end)
    department_ids = [i for i, _name in departments]
    staff = figures.staff(as_of=end)
    latest = figures.latest_levels(as_of=end)
    completions = figures.completions(as_of=end)
    champions, shares = figures.champions(end)
    use_cases = figures.use_cases(as_of=end)
    hidden = figures.hidden_departments(
        figures.assessed_by_department(latest), department_ids, min_group
    )
    groups: dict[str, int | None] = {figures.COMPANY: None}
    groups.update({figures.group_key(i): i for i in department_ids})
    found = figures.publications(list(groups))
    rows = []
    for key, dept in groups.items():
        members = {pid: row for pid, row in latest.items() if _in_group(row[0], dept)}
        shown = len(members) >= min_group and dept not in hidden
        publication = (
            figures.publish(key, members, found.get(key), dimensions, min_group, last_moment)
            if shown
            else None
        )
        done = [pid for pid, row_dept in completions if _in_group(row_dept, dept)]
        people = sum(1 for _pid, row_dept in staff if _in_group(row_dept, dept))
        figure = rules.snapshot(
            staff=people,
            assessed=len(members),
            completed_modules=len(done),
            learners_with_completion=len(set(done)),
            coverage=rules.champion_coverage(
                people, len(champions) if dept is None else shares.get(dept, 0)
            ),
            use_cases=rules.total_counts(
                counts for row_dept, counts in use_cases.items() if _in_group(row_dept, dept)
            ),
            competence=publication.figures if publication else None,
            hidden=dept in hidden,
            min_group=min_group,
        )
        rows.append(ReportSnapshot(group_key=key, month=month, taken_at=now or utcnow(), **figure))
    try:
        with db.session.begin_nested():  # a parallel run of the same month: one of them stores
            db.session.add_all(rows)
    except IntegrityError:
        return 0
    return len(rows)


def _settings() -> tuple[list[str], int, ZoneInfo]:
    from lernpfad.assessments.services import competency_model

    model = competency_model() or {"dimensions": []}
    return (
        [d["key"] for d in model["dimensions"]],
        current_app.config["PRIVACY_MIN_GROUP"],
        ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]),
    )


def snapshot_last_month(now: datetime) -> dict[str, int]:
    """The job: the month before ``now`` (company time), as of its end. Returns the counts the
    job run records."""
    dimensions, min_group, timezone = _settings()
    month = rules.previous_month(now.astimezone(timezone).date())
    return {"groups": take_snapshots(month, dimensions, min_group, timezone, now)}


def snapshot_past_months(now: datetime, count: int) -> int:
    """Snapshots of the ``count`` months before ``now``, oldest first, each as of its end (the
    demo's history; taken by the same function as the job). Returns the groups stored."""
    dimensions, min_group, timezone = _settings()
    local = now.astimezone(timezone).date()
    return sum(
        take_snapshots(month, dimensions, min_group, timezone, now)
        for month in rules.past_months(local, count)
    )


@dataclass(frozen=True)
class TrendFigure:
    key: str  # for element ids
    label: object
    values: list[float | None]  # one per month, None where not stored (privacy)
    chart: charts.LineChart
    reference: list[int] | None = None  # champions needed


@dataclass(frozen=True)
class Trend:
    months: list[date]  # the first day of each month, oldest first
    snapshots: list[ReportSnapshot]
    figures: list[TrendFigure]  # participation: completion, modules, champions
    competence: list[TrendFigure]  # the mean level per dimension, gaps where withheld

    @property
    def has_competence(self) -> bool:
        return any(row.competence for row in self.snapshots)


def trend(department_id: int | None, dimensions: list[tuple[str, object]]) -> Trend:
    """The group's (the company's, or one department's) last TREND_MONTHS snapshots as line
    charts — from snapshots only, never from live data."""
    rows = list(
        db.session.scalars(
            sa.select(ReportSnapshot)
            .where(ReportSnapshot.group_key == figures.group_key(department_id))
            .order_by(ReportSnapshot.month.desc())
            .limit(TREND_MONTHS)
        )
    )[::-1]
    months = [date.fromisoformat(row.month + "-01") for row in rows]
    completion = [row.assessed_percent for row in rows]
    modules = [row.completed_modules for row in rows]
    champions = [row.champions for row in rows]
    needed = [row.champions_needed for row in rows]
    means = {
        key: [row.competence["means"].get(key) if row.competence else None for row in rows]
        for key, _label in dimensions
    }
    return Trend(
        months=months,
        snapshots=rows,
        figures=[
            TrendFigure(
                "completion",
                _l("Selbsteinschätzung abgeschlossen (%)"),
                completion,
                charts.line_chart(completion, 100),
            ),
            TrendFigure(
                "modules", _l("Abgeschlossene Module"), modules, charts.line_chart(modules)
            ),
            TrendFigure(
                "champions",
                _l("KI-Champions"),
                champions,
                charts.line_chart(champions, reference=needed),
                needed,
            ),
        ],
        competence=[
            TrendFigure(key, label, means[key], charts.line_chart(means[key], rules.LEVELS[-1]))
            for key, label in dimensions
        ],
    )


def trend_html(department_id: int | None, dimensions: list[tuple[str, object]], min_group: int):
    """The section „Entwicklung“ of a report as HTML. Snapshots are never changed once stored,
    so each process renders it once per group, language and new snapshot: the charts' many
    dates and numbers are not formatted again on every page. Aggregates only, like the rows."""
    key_group = figures.group_key(department_id)
    state = db.session.execute(
        sa.select(
            sa.func.count(), sa.func.max(ReportSnapshot.id), sa.func.max(ReportSnapshot.taken_at)
        ).where(ReportSnapshot.group_key == key_group)
    ).one()
    key = (
        key_group,
        str(get_locale()),
        tuple(state),
        tuple((dimension, str(label)) for dimension, label in dimensions),
        min_group,
    )
    rendered = current_app.extensions.setdefault("lernpfad_trend_html", {})
    html = rendered.get(key)
    if html is None:
        section = get_template_attribute("reports/trends.html", "trend_section")
        html = Markup(section(trend(department_id, dimensions), min_group))
        if len(rendered) >= RENDERED_KEEP:
            rendered.clear()
        rendered[key] = html
    return html
