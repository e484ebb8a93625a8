from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lernpfad.db import utcnow
from lernpfad.extensions import db


class ReportPublication(db.Model):
    """The competence figures of one group (the company, or one department) as last published.

    Figures change only in steps of at least PRIVACY_MIN_GROUP changed people (see
    reports.rules.should_publish); the members (PublicationMember: person → result) are what the
    next step is measured against, ``figures`` what the pages show: {"n", "distribution",
    "means"}. ``checked_at`` and ``drift`` spare the pages that comparison: every person whose
    group standing changed up to ``checked_at`` was compared, and ``drift`` lists those (fewer
    than the minimum) who then differed from the members."""

    __tablename__ = "report_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_key: Mapped[str] = mapped_column(sa.String(40), unique=True)  # company | department:<id>
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    drift: Mapped[list] = mapped_column(sa.JSON, default=list)
    figures: Mapped[dict] = mapped_column(sa.JSON, default=dict)


class PublicationMember(db.Model):
    """One person in a group's publication, with the result the published figures counted."""

    __tablename__ = "report_publication_members"

    group_key: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    person_id: Mapped[int] = mapped_column(primary_key=True)  # no foreign key: kept as published
    result_id: Mapped[int]


class ReportSnapshot(db.Model):
    """One group's report figures at the end of one month: aggregates only (reports.snapshots).

    Taken once per month and group; competence is stored only where the privacy minimum and
    the complementary suppression let it be shown (reports.rules.snapshot), else it is null.
    The trends in the reports are drawn from these rows, never from live data."""

    __tablename__ = "report_snapshots"
    __table_args__ = (sa.UniqueConstraint("group_key", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_key: Mapped[str] = mapped_column(sa.String(40))  # company | department:<id>
    month: Mapped[str] = mapped_column(sa.String(7))  # YYYY-MM
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    staff: Mapped[int]
    assessed: Mapped[int]
    assessed_percent: Mapped[int]
    completed_modules: Mapped[int]
    learners_with_completion: Mapped[int]
    champions: Mapped[float]  # a sum of shares (rules.champion_shares)
    champions_needed: Mapped[int]
    use_cases: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # status → number
    # {"n", "distribution", "means"}, or null where it may not be shown
    competence: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))
