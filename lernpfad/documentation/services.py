"""The documentation as read from the running application: its tables, its access rules, its
settings and the privacy mode in force. One ``documentation()`` feeds both the page and the PDF,
so the two cannot differ. Nothing here prints a secret: the database is named by its kind, URLs
lose their credentials, the mail password and the secret key are never read."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from lernpfad.admin.rules import database_kind, without_credentials
from lernpfad.auth import passwords
from lernpfad.auth.models import Person, Role
from lernpfad.documentation import rules, texts
from lernpfad.extensions import db
from lernpfad.privacy.mode import INDIVIDUAL, ModeState, mode_state

# The matrix's columns: every role, in the order of the enum (learner first).
MATRIX_ROLES = tuple(Role)
IGNORED_ENDPOINTS = frozenset({"static"})


def routes() -> list[rules.Route]:
    """Every endpoint of the running app with its addresses, methods and access mark."""
    found: dict[str, tuple[list[str], set[str]]] = {}
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint in IGNORED_ENDPOINTS or rule.endpoint.endswith(".static"):
            continue
        addresses, methods = found.setdefault(rule.endpoint, ([], set()))
        addresses.append(rule.rule)
        methods.update((rule.methods or set()) - {"HEAD", "OPTIONS"})
    views = current_app.view_functions
    return [
        rules.Route(
            endpoint=endpoint,
            rules=tuple(addresses),
            methods=tuple(sorted(methods)),
            access=rules.access_of(views[endpoint]),
        )
        for endpoint, (addresses, methods) in found.items()
    ]


def role_matrix() -> list[rules.Area]:
    """Who may open what, as the access check enforces it: the single source of page and PDF."""
    return rules.role_matrix(routes(), MATRIX_ROLES)


def retention_text(key: str, config) -> str:
    text, settings = texts.RETENTION[key]
    text = str(text)
    return text % {name: config.get(setting) for name, setting in settings.items()}


@dataclass(frozen=True)
class TableDescription:
    name: str
    title: str
    stored: str
    purpose: str
    legal_basis: str
    audience: str
    areas: tuple[str, ...]
    retention: str


def table_descriptions(config) -> list[TableDescription]:
    """The tables with personal data, in plain German, with the retention the settings give."""
    return [
        TableDescription(
            name=name,
            title=str(text.title),
            stored=str(text.stored),
            purpose=str(text.purpose),
            legal_basis=str(text.legal_basis),
            audience=str(text.audience),
            areas=text.areas,
            retention=retention_text(text.retention, config),
        )
        for name, text in texts.PERSONAL_TABLES.items()
    ]


@dataclass(frozen=True)
class MailFacts:
    server: str  # empty: no mail server set up
    port: int | str
    encryption: str  # tls | starttls | none
    login: bool


@dataclass(frozen=True)
class Facts:
    company: str
    base_url: str
    database: str  # sqlite | postgresql | other
    min_group: int
    mode: ModeState
    retention_answers_months: int
    retention_sent_mail_days: int
    retention_read_notices_days: int
    session_idle_minutes: int
    session_absolute_hours: int
    cookie_secure: bool
    cookie_httponly: bool
    cookie_samesite: str
    hash_memory_kib: int
    hash_passes: int
    hash_lanes: int
    password_min_length: int
    login_free_failures: int
    login_delay_base_seconds: int
    login_delay_max_seconds: int
    login_window_minutes: int
    login_account_ceiling: int
    mail: MailFacts
    lrs: str  # empty: not set up
    sso: str
    active_people: int
    audit_entries: int


def _address(value) -> str:
    return without_credentials(str(value or "").strip())


def configuration_facts(config, state: ModeState | None = None) -> Facts:
    """The settings the documentation states, never a secret."""
    from lernpfad.audit.models import AuditChainHead

    server = str(config.get("MAIL_SERVER") or "").strip()
    encryption = (
        "tls"
        if config.get("MAIL_USE_TLS")
        else ("starttls" if config.get("MAIL_USE_STARTTLS") else "none")
    )
    head_length = db.session.scalar(sa.select(sa.func.max(AuditChainHead.length)))
    return Facts(
        company=str(config.get("COMPANY_NAME") or "").strip(),
        base_url=_address(config.get("BASE_URL")),
        database=database_kind(config.get("SQLALCHEMY_DATABASE_URI")),
        min_group=config["PRIVACY_MIN_GROUP"],
        mode=state or mode_state(),
        retention_answers_months=config["RETENTION_ANSWERS_MONTHS"],
        retention_sent_mail_days=config["RETENTION_SENT_MAIL_DAYS"],
        retention_read_notices_days=config["RETENTION_READ_NOTICES_DAYS"],
        session_idle_minutes=config["SESSION_IDLE_MINUTES"],
        session_absolute_hours=config["SESSION_ABSOLUTE_HOURS"],
        cookie_secure=bool(config.get("SESSION_COOKIE_SECURE")),
        cookie_httponly=bool(config.get("SESSION_COOKIE_HTTPONLY")),
        cookie_samesite=str(config.get("SESSION_COOKIE_SAMESITE") or "—"),
        hash_memory_kib=passwords.HASH_MEMORY_KIB,
        hash_passes=passwords.HASH_PASSES,
        hash_lanes=passwords.HASH_LANES,
        # What auth.passwords enforces (LERNPFAD_PASSWORD_MIN_LENGTH is not read there).
        password_min_length=passwords.MIN_LENGTH,
        login_free_failures=config["LOGIN_FREE_FAILURES"],
        login_delay_base_seconds=config["LOGIN_DELAY_BASE_SECONDS"],
        login_delay_max_seconds=config["LOGIN_DELAY_MAX_SECONDS"],
        login_window_minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"],
        login_account_ceiling=config["LOGIN_ACCOUNT_CEILING"],
        mail=MailFacts(
            server=server,
            port=config.get("MAIL_PORT") if server else "",
            encryption=encryption,
            login=bool(str(config.get("MAIL_USERNAME") or "").strip()),
        ),
        lrs=_address(config.get("XAPI_ENDPOINT")),
        sso=_address(config.get("OIDC_ISSUER")),
        active_people=db.session.scalar(
            sa.select(sa.func.count(Person.id)).where(Person.active.is_(True))
        )
        or 0,
        audit_entries=head_length or 0,
    )


@dataclass(frozen=True)
class Documentation:
    generated_at: datetime
    facts: Facts
    tables: list[TableDescription]
    other_tables: list[tuple[str, str]]
    roles: tuple[Role, ...]
    matrix: list[rules.Area]
    screening: dict[str, str]
    screening_result: str


def documentation(now: datetime) -> Documentation:
    """Everything the page and the PDF state, read now from the running application."""
    config = current_app.config
    facts = configuration_facts(config)
    screening = rules.dpia_screening(
        individual_mode=facts.mode.mode == INDIVIDUAL, lrs=bool(facts.lrs), sso=bool(facts.sso)
    )
    return Documentation(
        generated_at=now,
        facts=facts,
        tables=table_descriptions(config),
        other_tables=[(name, str(text)) for name, text in texts.OTHER_TABLES.items()],
        roles=MATRIX_ROLES,
        matrix=role_matrix(),
        screening=screening,
        screening_result=rules.dpia_result(screening),
    )
