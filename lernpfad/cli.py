"""`flask --app lernpfad lernpfad …`: administration commands."""

import click
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

    problems = password_problems(password, email=email, name=name)
    if problems:
        raise click.ClickException(" ".join(problems))
    try:
        person = create_person(name=name, email=email, roles={Role.ADMIN, Role.HR})
    except PersonExists:
        raise click.ClickException(f"Die E-Mail-Adresse {email} ist bereits vergeben.") from None
    set_password(person, password)
    db.session.commit()
    click.echo(f"Administrator {person.email} angelegt.")


@lernpfad_cli.command("demo")
@with_appcontext
def demo():
    """Fill an empty database with the demo company Muster GmbH and print the demo logins."""
    from lernpfad.demo import DEMO_LOGINS, DEMO_PASSWORD, database_is_empty, load_demo

    if database_is_empty():
        people = load_demo()
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
    click.echo("")
    click.echo("Lernpfad läuft gleich auf http://127.0.0.1:5000")
