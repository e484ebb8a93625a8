import pytest

from lernpfad.auth.models import Role
from lernpfad.extensions import db
from lernpfad.toolbox.models import Tool
from lernpfad.usecases.models import UseCase
from tests.helpers import make_person
from tests.usecases.test_scope import add_use_case as add_scope_use_case


def valid_form(**changes) -> dict:
    """A complete, valid tool form as the browser posts it."""
    form = {
        "name": "Schreibhilfe",
        "provider": "Beispiel KI GmbH",
        "purpose": "Texte entwerfen und zusammenfassen.",
        "status": "in_pruefung",
        "data_class": "gelb",
        "hosting_region": "deutschland",
        "has_dpa": "y",
        "licence_model": "je_person",
        "monthly_cost_eur": "450",
        "owner": "IT-Betrieb",
        "review_on": "2027-03-31",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def add_tool(name="Schreibhilfe", status="freigegeben", data_class="gelb", use_cases=()):
    tool = Tool(
        name=name,
        provider="Beispiel KI GmbH",
        purpose=f"Wofür {name}.",
        status=status,
        data_class=data_class,
        hosting_region="deutschland",
        has_dpa=True,
        licence_model="je_person",
        owner="IT-Betrieb",
        use_cases=list(use_cases),
    )
    db.session.add(tool)
    db.session.flush()
    return tool


def add_use_case(title="Antwortentwürfe", department_name="Vertrieb") -> UseCase:
    return db.session.get(UseCase, add_scope_use_case(title, department_name))


@pytest.fixture
def coordinator(app, people):
    with app.app_context():
        person = make_person("koordination@example.org", roles={Role.AI_COORDINATION})
        db.session.commit()
        return person.id
