"""The demo company has one KI-Champion; HR assigned every other department to them."""

from lernpfad.auth.models import Department, Person
from lernpfad.mentoring.services import assign


def load_demo_mentoring(people: dict[str, Person], departments: dict[str, Department]) -> None:
    champion = people["champion@muster.example"]
    for department in departments.values():
        if department.id != champion.department_id:
            assign(champion, department)
