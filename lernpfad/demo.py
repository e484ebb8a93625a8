"""The demo company "Muster GmbH": departments, about 60 people, the demo logins.

Each capability adds its demo data through a function called from ``load_demo``.
"""

import random
from datetime import timedelta

import sqlalchemy as sa

from lernpfad.auth.models import Department, Person, Role
from lernpfad.auth.passwords import hash_password
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.people.services import create_person

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
        {Role.CHAMPION},
        "KI-Champion",
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
]

FIRST_NAMES = [
    "Jonas",
    "Lea",
    "Felix",
    "Marie",
    "Paul",
    "Sophie",
    "Lukas",
    "Hannah",
    "Tim",
    "Laura",
    "Jan",
    "Julia",
    "Max",
    "Sarah",
    "David",
    "Lisa",
    "Simon",
    "Katharina",
    "Tobias",
    "Johanna",
    "Moritz",
    "Clara",
    "Niklas",
    "Emma",
    "Philipp",
    "Mia",
    "Fabian",
    "Lena",
    "Sebastian",
    "Nina",
    "Daniel",
    "Carina",
    "Markus",
    "Sabine",
    "Stefan",
    "Petra",
    "Thomas",
    "Andrea",
    "Michael",
    "Birgit",
    "Ralf",
    "Ute",
    "Jürgen",
    "Monika",
    "Uwe",
    "Claudia",
    "Dirk",
    "Heike",
    "Frank",
    "Susanne",
    "Oliver",
    "Tanja",
    "Kai",
    "Melanie",
]
LAST_NAMES = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Schubert",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Frank",
    "Berger",
    "Winkler",
]
# The women's first names in the demo company: job titles agree with the person
# (Produktmanager/Produktmanagerin).
WOMENS_FIRST_NAMES = frozenset(
    {
        "Helga",
        "Anna",
        "Ada",
        "Katrin",
        "Vera",
        "Lea",
        "Marie",
        "Sophie",
        "Hannah",
        "Laura",
        "Julia",
        "Sarah",
        "Lisa",
        "Katharina",
        "Johanna",
        "Clara",
        "Emma",
        "Mia",
        "Lena",
        "Nina",
        "Carina",
        "Sabine",
        "Petra",
        "Andrea",
        "Birgit",
        "Ute",
        "Monika",
        "Claudia",
        "Heike",
        "Susanne",
        "Tanja",
        "Melanie",
    }
)
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


def load_demo(content_dir: str, seed: int = 4) -> dict[str, Person]:
    """Fill an empty database with the demo company; returns the people by e-mail."""
    from lernpfad.assessments.demo import load_demo_assessments
    from lernpfad.certification.demo import load_demo_certification
    from lernpfad.content.services import current_document, sync_content
    from lernpfad.mentoring.demo import load_demo_mentoring
    from lernpfad.modules.demo import load_demo_progress
    from lernpfad.notices.demo import load_demo_notices
    from lernpfad.reports.snapshots import snapshot_past_months
    from lernpfad.usecases.demo import load_demo_use_cases

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
    for dept, (name, job) in HEADS.items():
        email = (
            name.lower().replace(" ", ".").replace("ü", "ue").replace("ö", "oe") + "@muster.example"
        )
        heads[dept] = people[email] = create_person(
            name=name,
            email=email,
            department=departments[dept],
            job_function=job,
            roles={Role.DEPARTMENT_HEAD},
            via="demo",
        )
    names = set()
    for dept in DEPARTMENTS:
        for _ in range(STAFF_PER_DEPARTMENT):
            while True:
                first_name = rng.choice(FIRST_NAMES)
                name = f"{first_name} {rng.choice(LAST_NAMES)}"
                if name not in names:
                    names.add(name)
                    break
            email = (
                name.lower()
                .replace(" ", ".")
                .replace("ü", "ue")
                .replace("ö", "oe")
                .replace("ä", "ae")
                .replace("ß", "ss")
                + "@muster.example"
            )
            people[email] = create_person(
                name=name,
                email=email,
                department=departments[dept],
                job_function=job_title(rng.choice(JOB_FUNCTIONS[dept]), first_name),
                manager=heads[dept],
            )
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
    use_cases = load_demo_use_cases(departments, creators)
    load_demo_mentoring(people, departments)
    load_demo_progress(people, rng, use_cases)
    load_demo_certification(people, rng, use_cases)
    load_demo_notices()
    db.session.flush()
    # The history the scheduler would have written: each month as of its end (jobs/snapshots.py).
    snapshot_past_months(utcnow(), SNAPSHOT_MONTHS)
    return people
