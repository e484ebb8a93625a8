"""The demo company "Muster GmbH": departments, 61 people (or as many as asked for: 20,000 take
about a minute on SQLite, see bench/demo_build.py), the demo logins.

Each capability adds its demo data through a function called from ``load_demo``.
"""

import random
from collections.abc import Mapping
from datetime import timedelta

import sqlalchemy as sa

from lernpfad.auth.models import Department, Person, Role
from lernpfad.auth.passwords import hash_password
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.people.demo import WOMENS_FIRST_NAMES, unique_email, unique_name
from lernpfad.people.services import create_person, set_roles

DEMO_PASSWORD = "lernpfad-demo"
DEPARTMENTS = ["Vertrieb", "Marketing", "Kundenservice", "Produktentwicklung", "Verwaltung"]

# (e-mail, name, department, job function, extra roles, what the login is for)
DEMO_LOGINS = [
    (
        "hr@muster.example",
        "Helga Roth",
        "Verwaltung",
        "Personalentwicklung",
        {Role.HR},
        "HR / Personalentwicklung",
    ),
    (
        "gf@muster.example",
        "Georg Fischer",
        "Verwaltung",
        "Geschäftsführer",
        {Role.LEADERSHIP},
        "Führungsebene (Geschäftsführung)",
    ),
    (
        "leitung.vertrieb@muster.example",
        "Lena Vogt",
        "Vertrieb",
        "Abteilungsleiterin Vertrieb",
        {Role.DEPARTMENT_HEAD},
        "Fachbereichsleitung Vertrieb",
    ),
    (
        "champion@muster.example",
        "Chris Martens",
        "Produktentwicklung",
        "Entwicklungsingenieur",
        {Role.CHAMPION, Role.AI_COORDINATION},
        "KI-Champion und KI-Koordination (pflegt die KI-Toolbox)",
    ),
    (
        "anna@muster.example",
        "Anna Berger",
        "Vertrieb",
        "Vertriebsinnendienst",
        set(),
        "Lernende mit Verlauf",
    ),
    (
        "neu@muster.example",
        "Nils Neumann",
        "Kundenservice",
        "Kundenberater",
        set(),
        "Lernender ohne Aktivität",
    ),
    (
        "admin@muster.example",
        "Ada Admin",
        "Verwaltung",
        "IT-Administration",
        {Role.ADMIN},
        "Administration",
    ),
    (
        "datenschutz@muster.example",
        "Dana Schubert",
        "Verwaltung",
        "Datenschutzbeauftragte",
        {Role.DPO},
        "Datenschutzbeauftragte (Protokoll, Dokumentation)",
    ),
]

# Per department: a neutral job function, or (the title for a man, the title for a woman).
JOB_FUNCTIONS = {
    "Vertrieb": [
        "Vertriebsinnendienst",
        ("Key Account Manager", "Key Account Managerin"),
        "Außendienst",
        "Vertriebsassistenz",
    ],
    "Marketing": [
        ("Marketingreferent", "Marketingreferentin"),
        ("Content Manager", "Content Managerin"),
        "Online-Marketing",
        "Grafikdesign",
    ],
    "Kundenservice": [
        ("Kundenberater", "Kundenberaterin"),
        ("Servicetechniker", "Servicetechnikerin"),
        "Reklamationsbearbeitung",
        "Hotline",
    ],
    "Produktentwicklung": [
        ("Entwicklungsingenieur", "Entwicklungsingenieurin"),
        ("Konstrukteur", "Konstrukteurin"),
        ("Produktmanager", "Produktmanagerin"),
        ("Softwareentwickler", "Softwareentwicklerin"),
    ],
    "Verwaltung": ["Buchhaltung", "Einkauf", "Sachbearbeitung Personal", "Controlling"],
}
HEADS = {
    "Marketing": ("Martin Kramer", "Abteilungsleiter Marketing"),
    "Kundenservice": ("Katrin Seidel", "Teamleiterin Kundenservice"),
    "Produktentwicklung": ("Peter Brandt", "Bereichsleiter Entwicklung"),
    "Verwaltung": ("Vera Albrecht", "Kaufmännische Leitung"),
}
STAFF_PER_DEPARTMENT = 10
SNAPSHOT_MONTHS = 8  # monthly report snapshots before the current month: the reports' trends


def job_title(function: str | tuple[str, str], first_name: str) -> str:
    """The job function as a title that agrees with the person's first name."""
    if isinstance(function, str):
        return function
    for_a_man, for_a_woman = function
    return for_a_woman if first_name in WOMENS_FIRST_NAMES else for_a_man


def database_is_empty() -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0


def spread_staff(total: int) -> dict[str, int]:
    """``total`` staff over the departments, as evenly as they go (the first ones get one more)."""
    share, rest = divmod(total, len(DEPARTMENTS))
    return {name: share + (index < rest) for index, name in enumerate(DEPARTMENTS)}


def load_demo(
    content_dir: str, seed: int = 4, staff_per_department: int | Mapping[str, int] | None = None
) -> dict[str, Person]:
    """Fill an empty database with the demo company; returns the people by e-mail. Besides the
    twelve named people, ``staff_per_department`` staff (a number for every department, or one
    per department name; default STAFF_PER_DEPARTMENT). The same seed gives the same company."""
    from lernpfad.assessments.demo import load_demo_assessments
    from lernpfad.audit.services import record_audit
    from lernpfad.certification.demo import load_demo_certification
    from lernpfad.content.services import current_document, sync_content
    from lernpfad.db import refresh_statistics
    from lernpfad.mentoring.demo import load_demo_champions, load_demo_mentoring
    from lernpfad.modules.demo import load_demo_progress
    from lernpfad.notices.demo import load_demo_notices
    from lernpfad.reports import tracking
    from lernpfad.reports.snapshots import snapshot_past_months
    from lernpfad.toolbox.demo import load_demo_toolbox
    from lernpfad.usecases.demo import load_demo_use_cases

    if staff_per_department is None:
        staff_per_department = STAFF_PER_DEPARTMENT  # read now: bench/pages.py sets it
    if isinstance(staff_per_department, int):
        staff_per_department = dict.fromkeys(DEPARTMENTS, staff_per_department)
    rng = random.Random(seed)
    if current_document("competencies") is None:
        sync_content(content_dir)
    password_hash = hash_password(DEMO_PASSWORD)  # one hash: the same password for everyone
    departments = {name: Department(name=name) for name in DEPARTMENTS}
    db.session.add_all(departments.values())
    db.session.flush()

    people: dict[str, Person] = {}
    for email, name, dept, job, roles, _purpose in DEMO_LOGINS:
        people[email] = create_person(
            name=name,
            email=email,
            department=departments[dept],
            job_function=job,
            roles=roles,
            via="demo",
        )
    heads = {"Vertrieb": people["leitung.vertrieb@muster.example"]}
    emails = set(people)
    for dept, (name, job) in HEADS.items():
        email = unique_email(name, emails)
        heads[dept] = people[email] = create_person(
            name=name,
            email=email,
            department=departments[dept],
            job_function=job,
            roles={Role.DEPARTMENT_HEAD},
            via="demo",
        )
    names = {person.name for person in people.values()}
    staff = []
    for dept in DEPARTMENTS:
        for _ in range(staff_per_department.get(dept, 0)):
            first_name, name = unique_name(rng, names)
            person = Person(
                name=name,
                email=unique_email(name, emails),
                department=departments[dept],
                job_function=job_title(rng.choice(JOB_FUNCTIONS[dept]), first_name),
                manager=heads[dept],
            )
            # What create_person gives, without a query or a flush per person.
            set_roles(person, {Role.LEARNER}, actor=None, via="demo", flush=False)
            people[person.email] = person
            staff.append(person)
    db.session.add_all(staff)
    joined = utcnow() - timedelta(days=400)  # before their first self-assessment (≤ 300 days)
    for department in departments.values():
        department.created_at = joined
    for person in people.values():
        person.password_hash = password_hash
        person.created_at = joined
        if (
            person.manager is None
            and person.department
            and heads.get(person.department.name) is not person
        ):
            person.manager = heads.get(person.department.name)
    db.session.flush()
    load_demo_assessments(people, rng)
    creators = {name: heads[name] for name in DEPARTMENTS}
    use_cases = load_demo_use_cases(departments, creators, staff_per_department)
    load_demo_toolbox(people["champion@muster.example"])
    load_demo_mentoring(people, departments)
    champions = load_demo_champions(staff, staff_per_department)  # none at demo size
    load_demo_progress(people, rng, use_cases, champions)
    load_demo_certification(people, rng, use_cases)
    load_demo_notices()
    # HR looked at Anna's training record once: she finds the entry under "Meine Daten".
    record_audit(
        actor=people["hr@muster.example"],
        action="training_record.viewed",
        subject=people["anna@muster.example"],
    )
    db.session.flush()
    # Rows inserted past the ORM (progress, at scale) are counted into the people's columns
    # the reports read (reports.tracking).
    tracking.rebuild(db.session.connection())
    refresh_statistics(db.session)
    # The history the scheduler would have written: each month as of its end (jobs/snapshots.py).
    snapshot_past_months(utcnow(), SNAPSHOT_MONTHS)
    return people
