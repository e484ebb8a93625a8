"""Operations rules: outbox states and retries, database kind, credentials, mail settings,
which settings are shown."""

from datetime import UTC, datetime, timedelta

import pytest

from lernpfad.admin import rules
from lernpfad.admin.routes import SETTING_EXPLANATIONS, SETTING_GROUP_LABELS

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=10)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("sqlite:////srv/lernpfad/instance/lernpfad.sqlite3", "sqlite"),
        ("sqlite://", "sqlite"),
        ("postgresql+psycopg://lernpfad:geheim@db.internal:5432/lernpfad", "postgresql"),
        ("postgresql://u@h/db", "postgresql"),
        ("postgres://u:p@h/db", "postgresql"),
        ("PostgreSQL+psycopg://u:p@h/db", "postgresql"),
        ("mysql+pymysql://root:geheim@h/db", "other"),
        ("lernpfad:geheim@db.internal/lernpfad", "other"),  # no scheme: never a part of it
        ("", "other"),
        (None, "other"),
    ],
)
def test_database_url_is_reduced_to_its_kind(url, kind):
    assert rules.database_kind(url) == kind


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://lernpfad.example.org", "https://lernpfad.example.org"),
        ("https://ops:geheim@lernpfad.example.org/lp", "https://lernpfad.example.org/lp"),
        ("http://ops@127.0.0.1:5000", "http://127.0.0.1:5000"),
        ("", ""),
        (None, ""),
    ],
)
def test_credentials_are_removed_from_urls(url, shown):
    assert rules.without_credentials(url) == shown


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("offen", "offen"),
        ("fehlgeschlagen", "fehlgeschlagen"),
        (" Versendet ", "versendet"),
        ("wartend", "wartend"),
        ("alle", "offen"),
        ("²", "offen"),
        ("", "offen"),
        (None, "offen"),
        ("x" * 5000, "offen"),
    ],
)
def test_unknown_outbox_filters_list_the_open_mails(raw, value):
    assert rules.outbox_filter(raw) == value


@pytest.mark.parametrize(
    ("sent_at", "attempts", "state"),
    [(None, 0, "waiting"), (None, 3, "failed"), (NOW, 1, "sent"), (NOW, 4, "sent")],
)
def test_mail_state(sent_at, attempts, state):
    assert rules.mail_state(sent_at, attempts) == state


@pytest.mark.parametrize(
    ("sent_at", "next_attempt_in", "state"),
    [
        (NOW, timedelta(hours=2), "sent"),
        (None, -timedelta(minutes=5), "due"),
        (None, timedelta(0), "due"),
        (None, timedelta(minutes=2), "soon"),  # may be claimed by a sender right now
        (None, LEASE, "soon"),
        (None, LEASE + timedelta(seconds=1), "retryable"),
        (None, timedelta(hours=6), "retryable"),
    ],
)
def test_retry_only_moves_mails_nobody_may_be_sending(sent_at, next_attempt_in, state):
    assert rules.retry_state(sent_at, NOW + next_attempt_in, NOW, LEASE) == state


@pytest.mark.parametrize(
    ("oldest_due_ago", "late"),
    [
        (None, False),
        (timedelta(minutes=1), False),
        (timedelta(minutes=15), False),
        (timedelta(minutes=16), True),
    ],
)
def test_mail_job_is_late_when_a_mail_waits_too_long(oldest_due_ago, late):
    oldest = NOW - oldest_due_ago if oldest_due_ago is not None else None
    assert rules.mail_job_late(oldest, NOW, timedelta(minutes=15)) is late


@pytest.mark.parametrize(
    ("server", "port", "sender", "problems"),
    [
        ("mail.example.org", 587, "Lernpfad <lernpfad@example.org>", []),
        ("127.0.0.1", 25, "lernpfad@muster.example", []),
        ("127.0.0.1", 25, "Lernpfad <lernpfad@localhost>", ["local_sender"]),
        ("", 25, "lernpfad@example.org", ["no_server"]),
        ("  ", 25, "lernpfad@example.org", ["no_server"]),
        ("mail.example.org", 0, "lernpfad@example.org", ["bad_port"]),
        ("mail.example.org", 70000, "lernpfad@example.org", ["bad_port"]),
        ("mail.example.org", "587", "lernpfad@example.org", []),
        ("mail.example.org", "²", "lernpfad@example.org", ["bad_port"]),
        ("mail.example.org", True, "lernpfad@example.org", ["bad_port"]),
        ("mail.example.org", None, "lernpfad@example.org", ["bad_port"]),
        ("mail.example.org", 25, "", ["bad_sender"]),
        ("mail.example.org", 25, "Lernpfad", ["bad_sender"]),
        ("mail.example.org", 25, "lernpfad@intranet", ["local_sender"]),
        (None, None, None, ["no_server", "bad_port", "bad_sender"]),
    ],
)
def test_mail_settings_problems(server, port, sender, problems):
    assert rules.mail_problems(server, port, sender) == problems


def test_secrets_are_never_among_the_shown_settings():
    shown = {key for _group, keys in rules.SETTING_GROUPS for key in keys}
    assert not shown & {"SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS"}
    assert not any("SECRET" in key or "TOKEN" in key for key in shown)


def test_every_shown_setting_is_explained():
    shown = [key for _group, keys in rules.SETTING_GROUPS for key in keys]
    assert len(shown) == len(set(shown))
    assert set(shown) == set(SETTING_EXPLANATIONS)
    assert {group for group, _keys in rules.SETTING_GROUPS} == set(SETTING_GROUP_LABELS)


def test_shown_settings_reduce_values_and_name_their_variable():
    config = {
        "SECRET_KEY": "nie-zeigen",
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://lp:db-geheim@db/lp",
        "BASE_URL": "https://ops:basis-geheim@lernpfad.example.org",
        "ALLOWED_HOSTS": ["lernpfad.example.org", "lernen.example.org"],
        "PROXY_FIX": True,
        "QUIZ_PASS_PERCENT": 80,
    }
    rows = {s.key: s for _group, settings in rules.shown_settings(config) for s in settings}
    assert rows["DATABASE"].value == "postgresql"
    assert rows["DATABASE"].environment == "LERNPFAD_DATABASE_URL"
    assert rows["BASE_URL"].value == "https://lernpfad.example.org"
    assert rows["ALLOWED_HOSTS"].value == ("lernpfad.example.org", "lernen.example.org")
    assert rows["PROXY_FIX"].value is True
    assert rows["QUIZ_PASS_PERCENT"].environment == "LERNPFAD_QUIZ_PASS_PERCENT"
    assert rows["COMPANY_NAME"].value is None
    assert "geheim" not in repr(rows) and "nie-zeigen" not in repr(rows)


@pytest.mark.parametrize(
    ("raw", "hosts"), [("a.example, b.example,", ("a.example", "b.example")), (None, ())]
)
def test_allowed_hosts_from_a_string_or_nothing(raw, hosts):
    assert rules.setting_value("ALLOWED_HOSTS", {"ALLOWED_HOSTS": raw}) == hosts
