"""Imports every feature's models so that the metadata (and Alembic) sees all tables."""

from lernpfad.auth.models import AccountToken, Department, LoginFailure, Person, PersonRole  # noqa: F401
from lernpfad.jobs.models import OutboxMail  # noqa: F401
