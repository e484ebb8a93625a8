"""`flask --app lernpfad lernpfad …`: administration commands."""

import click
from flask import current_app
from flask.cli import with_appcontext

from lernpfad.auth.models import Role
from lernpfad.auth.passwords import password_problems
from lernpfad.auth.services import set_password
from lernpfad.extensions import db


@click.group("lernpfad")
def lernpfad_cli():
    """Lernpfad administration."""


@lernpfad_cli.command("create-admin")
@click.option("--email", prompt="E-Mail-Adresse")
@click.option("--name", prompt="Name")
@click.password_option("--password", prompt="Passwort", confirmation_prompt="Passwort wiederholen")
@with_appcontext
def create_admin(email: str, name: str, password: str):
    """Create an administrator with a password."""
    from lernpfad.people.services import PersonExists, create_person

    problems = password_problems(
        password, email=email, name=name, company=current_app.config.get("COMPANY_NAME", "")
    )
    if problems:
        raise click.ClickException(" ".join(problems))
    try:
        person = create_person(name=name, email=email, roles={Role.ADMIN, Role.HR}, via="cli")
    except PersonExists:
        raise click.ClickException(f"Die E-Mail-Adresse {email} ist bereits vergeben.") from None
    set_password(person, password)
    db.session.commit()
    click.echo(f"Administrator {person.email} angelegt.")


@lernpfad_cli.command("send-mail")
@click.option("--limit", default=500, show_default=True, help="Höchstens so viele Mails senden.")
@with_appcontext
def send_mail(limit: int):
    """Send the mails waiting in the outbox (e.g. from cron until the scheduler exists)."""
    from lernpfad.jobs.mail import send_outbox

    sent = send_outbox(limit=limit)
    click.echo(f"{sent} Mail(s) gesendet.")


@lernpfad_cli.command("scheduler")
@with_appcontext
def scheduler():
    """Run the scheduled jobs (mail, reminders, digests, snapshots, retention) until stopped.
    Start exactly one per installation; a second one by mistake does no harm (each job runs once
    per period)."""
    from flask import current_app

    from lernpfad.jobs.scheduler import build_scheduler

    app = current_app._get_current_object()
    runner = build_scheduler(app)
    click.echo("Zeitplan gestartet: " + ", ".join(job.id for job in runner.get_jobs()))
    try:
        runner.start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("Zeitplan beendet.")


@lernpfad_cli.command("run-job")
@click.argument("job_id")
@with_appcontext
def run_job_command(job_id: str):
    """Run one scheduled job now (once per period, like the scheduler)."""
    from lernpfad.jobs.services import jobs, run_job

    if job_id not in jobs():
        raise click.ClickException(f"Unbekannter Job „{job_id}“. Vorhanden: {', '.join(jobs())}.")
    run = run_job(job_id, manual=True)
    if run is None:
        click.echo(f"{job_id}: läuft gerade an anderer Stelle; nichts getan.")
    elif run.status == "failed":
        raise click.ClickException(f"{job_id} fehlgeschlagen: {run.error}")
    else:
        click.echo(f"{job_id} ({run.period}): {run.counts}")


@lernpfad_cli.command("demo")
@click.option(
    "--staff",
    type=click.IntRange(min=0),
    default=None,
    help="Mitarbeitende neben den Demo-Zugängen, auf die fünf Abteilungen verteilt "
    "(Standard: 50; z. B. 20000 für ein großes Unternehmen).",
)
@with_appcontext
def demo(staff: int | None):
    """Fill an empty database with the demo company Muster GmbH and print the demo logins."""
    from lernpfad.demo import DEMO_LOGINS, DEMO_PASSWORD, database_is_empty, load_demo, spread_staff

    if database_is_empty():
        people = load_demo(
            current_app.config["CONTENT_DIR"],
            staff_per_department=spread_staff(staff) if staff is not None else None,
        )
        db.session.commit()
        click.echo(f"Demo-Daten der Muster GmbH geladen ({len(people)} Personen).")
    else:
        click.echo(
            "Die Datenbank enthält bereits Daten; die Demo-Daten werden nicht erneut geladen."
        )
    click.echo("")
    click.echo(f"Demo-Zugänge (Passwort für alle: {DEMO_PASSWORD}):")
    for email, _name, _dept, _job, _roles, purpose in DEMO_LOGINS:
        click.echo(f"  {email:<36} {purpose}")
    link = _demo_certificate_link()
    if link:
        click.echo("")
        click.echo(f"Zertifikat von champion@muster.example prüfen: {link}")
    click.echo("")
    click.echo(f"Lernpfad läuft gleich auf {current_app.config['BASE_URL']}")


def _demo_certificate_link() -> str | None:
    """The verification link of the demo champion's valid certificate, if there is one."""
    import sqlalchemy as sa

    from lernpfad.auth.models import Person
    from lernpfad.certification.services import certificates_of, status
    from lernpfad.core.links import external_url

    if "credentials.verify" not in current_app.view_functions:
        return None
    champion = db.session.scalar(sa.select(Person).where(Person.email == "champion@muster.example"))
    valid = [c for c in certificates_of(champion.id) if status(c) == "valid"] if champion else []
    return external_url("credentials.verify", code=valid[0].code) if valid else None


@lernpfad_cli.group("content")
def content_cli():
    """Check and import the curriculum (content/)."""


def _content_dir(path: str | None) -> str:
    return path or current_app.config["CONTENT_DIR"]


@content_cli.command("check")
@click.option("--path", default=None, help="Inhaltsordner (Standard: LERNPFAD_CONTENT_DIR)")
@click.option(
    "--lesbarkeit", is_flag=True, help="Die Lesbarkeitswerte aller Module als Tabelle ausgeben."
)
@with_appcontext
def content_check(path, lesbarkeit):
    """Validate the content folder; report every problem as file:line: reason."""
    from lernpfad.content.readability import below_threshold_warnings, module_readability
    from lernpfad.content.services import read_content

    bundle = read_content(_content_dir(path))
    readability = module_readability(bundle)
    if lesbarkeit:
        click.echo(_readability_table(bundle, readability))
    for warning in sorted(bundle.warnings) + below_threshold_warnings(readability):
        click.echo(f"{warning} (Hinweis)")
    for problem in bundle.problems:
        click.echo(str(problem), err=True)
    if bundle.problems:
        raise click.ClickException(
            f"{len(bundle.problems)} Problem(e) gefunden; nichts importiert."
        )
    click.echo(
        f"Inhalte in Ordnung: {len(bundle.modules)} Module, {len(bundle.paths)} Lernpfade, "
        f"{len(bundle.assessments)} Selbsteinschätzung(en)."
    )


def _readability_table(bundle, rows) -> str:
    from lernpfad.content.readability import figure

    roles = {}
    if bundle.competencies is not None:
        roles = {role["key"]: role["label"] for role in bundle.competencies.data["roles"]}
    lines = [
        "Lesbarkeit (Flesch nach Amstad: höher ist leichter; "
        "WSTF: Wiener Sachtextformel, eine Schulstufe: niedriger ist leichter)",
        f"{'Modul':<44} {'Zielgruppe':<12} {'Flesch':>6} {'WSTF':>5} {'Mindestwert':>11}  Status",
    ]
    for row in rows:
        audience = roles.get(row.audience, row.audience) if row.audience else "übrige"
        minimum = figure(row.minimum) if row.minimum is not None else "–"
        status = "in Ordnung" if row.ok else "zu niedrig"
        lines.append(
            f"{row.module_id:<44} {audience:<12} {figure(row.figures.flesch):>6} "
            f"{figure(row.figures.wstf):>5} {minimum:>11}  {status}"
        )
    return "\n".join(lines)


@content_cli.command("sync")
@click.option("--path", default=None, help="Inhaltsordner (Standard: LERNPFAD_CONTENT_DIR)")
@with_appcontext
def content_sync(path):
    """Import the content folder: all or nothing, versioned by content hash."""
    from lernpfad.content.services import ContentInvalid, sync_content

    try:
        record = sync_content(_content_dir(path))
    except ContentInvalid as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"{len(error.problems)} Problem(e) gefunden; nichts importiert."
        ) from None
    db.session.commit()
    if record is None:
        click.echo("Inhalte unverändert; nichts zu importieren.")
    else:
        click.echo(
            f"Import {record.id}: {len(record.summary['changed'])} neu oder geändert, {record.summary['unchanged']} unverändert."
        )


@lernpfad_cli.command("backup")
@click.argument("target", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Eine vorhandene Datei ersetzen.")
@with_appcontext
def backup(target: str, force: bool):
    """Copy the SQLite database to TARGET while the app keeps running (PostgreSQL: pg_dump)."""
    from lernpfad.core.backup import BackupRefused, backup_database

    try:
        result = backup_database(db.engine.url, target, force=force)
    except BackupRefused as refused:
        raise click.ClickException(str(refused)) from None
    megabytes = f"{result.size / 1_000_000:.1f}".replace(".", ",")
    click.echo(f"Sicherung geschrieben: {result.path} ({megabytes} MB).")


@lernpfad_cli.group("audit")
def audit_cli():
    """The audit log."""


BREAK_REASONS = {
    "prev_hash": "der Verweis auf den Vorgänger stimmt nicht (ein Eintrag davor fehlt oder "
    "wurde eingefügt)",
    "hash": "der Eintrag wurde geändert",
    "details": "die Angaben des Eintrags wurden geändert",
    "length": "die Zahl der Einträge stimmt nicht mit dem Kettenkopf überein (Einträge gelöscht "
    "oder außerhalb der Anwendung eingefügt)",
    "missing_end": "der letzte Eintrag fehlt oder wurde ersetzt",
    "unchained": "der Eintrag steht in keiner Kette (außerhalb der Anwendung eingefügt)",
}


@audit_cli.command("verify")
@with_appcontext
def audit_verify():
    """Check the audit log's hash chain; exit 1 and name the first broken link."""
    from lernpfad.audit.services import verify

    broken, read = verify()
    if broken is None:
        click.echo(f"Protokoll unversehrt: {read} Einträge, Kette vollständig.")
        return
    where = f"Eintrag {broken.entry_id}" if broken.entry_id is not None else "Kettenende"
    click.echo(
        f"Protokoll verändert: erste gebrochene Stelle bei {where}: "
        f"{BREAK_REASONS[broken.reason]} ({read} Einträge gelesen).",
        err=True,
    )
    raise SystemExit(1)
