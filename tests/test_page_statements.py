"""The work behind the most opened pages: how many SQL statements each runs, and that module
bodies, quizzes and tasks are read only where the page shows them (and then once per content
version, content/cache.py). Counts, not times: a new query per page shows up here."""

import pytest

from tests.assessments.test_flow import take
from tests.helpers import login_client
from tests.statements import recorded_statements

# Statements per page: the person and their roles (1), the bell (1), and the page's own.
MOST = {
    "/": 9,  # result, assignment, progress, path + model, module titles, due, sessions
    "/lernpfad/": 13,  # the same without sessions, plus the champion contacts
    "/module/g1": 11,
}


@pytest.fixture
def learner(client, auth, people, content):
    auth.login()
    take(client, rating=0, right=False)  # a result and a path with every module open
    client.post("/module/g1/abgabe", data={"text": "Erledigt.", "confirmed": "ja"})
    return client


def statements_of(app, client, path: str) -> list[str]:
    client.get(path)  # a first view may fill the content cache
    with recorded_statements(app) as statements:
        assert client.get(path).status_code == 200
    return statements


@pytest.mark.parametrize("path", list(MOST))
def test_learner_pages_stay_within_their_statements(app, learner, path):
    statements = statements_of(app, learner, path)
    assert len(statements) <= MOST[path], "\n".join(statements)


@pytest.mark.parametrize("path", list(MOST))
def test_learner_pages_read_no_module_bodies_or_quizzes(app, learner, path):
    """The dashboard and the path need titles; the module page has its content from the cache."""
    for statement in statements_of(app, learner, path):
        assert "body_html" not in statement and "module_versions.quiz" not in statement


def test_the_staff_list_reads_a_page_of_people_in_a_fixed_number_of_statements(app, people):
    hr = login_client(app, "hr@example.org")
    statements = statements_of(app, hr, "/personen/")
    # person, departments, count, the page's people with their roles, the bell
    assert len(statements) <= 5, "\n".join(statements)
    assert not any("password_hash" in s for s in statements[1:])  # only the listed columns
