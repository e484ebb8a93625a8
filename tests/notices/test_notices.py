"""The bell: notices where things happen (reviews, sessions), an unread count on every page
(one COUNT), the list (newest first, 30 a page, read once shown), nobody else's; and the page
where a person switches reminders and the digest off, with German messages for bad input."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import Person
from lernpfad.extensions import db
from lernpfad.notices.models import Notice, NoticeKind, NotificationPreference
from lernpfad.notices.services import notify
from lernpfad.notices.texts import notice_text
from tests.helpers import login_client as login
from tests.mentoring.test_review import hand_in, submission_id


def person(email: str) -> Person:
    return db.session.scalar(sa.select(Person).where(Person.email == email))


def kinds(app, email: str) -> list[str]:
    with app.app_context():
        return [
            n.kind
            for n in db.session.scalars(
                sa.select(Notice).where(Notice.person_id == person(email).id).order_by(Notice.id)
            )
        ]


def bell(html: str) -> str:
    """The accessible name of the bell: the text of the link, tags removed."""
    link = re.search(r'<a href="/mitteilungen/" class="notices-link".*?</a>', html, re.S)
    assert link, "no bell on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", link.group(0))).strip()


# ---------------------------------------------------------------------------------------------
# Where notices come from


def test_a_review_and_a_logged_session_leave_notices_for_the_learner(app, people, content):
    learner = login(app, "learner@example.org")
    hand_in(learner)
    champion = login(app, "champion@example.org")
    handed_in = submission_id(app, "learner@example.org")
    champion.post(
        f"/mentoring/abgabe/{handed_in}",
        data={"decision": "zurueckgeben", "feedback": "Bitte mit Zeitmessung."},
    )
    learner.post("/module/w2/abgabe", data={"text": "Zweite Fassung."})
    champion.post(
        f"/mentoring/abgabe/{submission_id(app, 'learner@example.org')}",
        data={"decision": "annehmen", "feedback": ""},
    )
    held_on = (date.today() - timedelta(days=3)).isoformat()
    champion.post(
        "/mentoring/sitzungen",
        data={
            "mentee_id": people["learner"],
            "held_on": held_on,
            "minutes": "30",
            "topic": "Vorlagen",
        },
    )
    assert kinds(app, "learner@example.org") == ["returned", "reviewed", "session_to_confirm"]
    assert kinds(app, "champion@example.org") == []
    page = learner.get("/mitteilungen/").get_data(as_text=True)
    texts = re.findall(r'<a href="(/[^"]*)">([^<]+)</a>\s*<br><span class="muted">', page)
    assert [href for href, _text in texts] == [
        "/mentoring/meine-sitzungen",
        "/module/w2",
        "/module/w2",
    ]  # newest first, each with its link
    assert "Champion hat Ihre Praxisaufgabe zum Modul „Modul w2“ angenommen." in texts[1][1]


def test_a_refused_review_leaves_no_notice(app, people, content):
    hand_in(login(app, "learner@example.org"))
    login(app, "champion@example.org").post(
        f"/mentoring/abgabe/{submission_id(app, 'learner@example.org')}",
        data={"decision": "zurueckgeben", "feedback": ""},
    )
    assert kinds(app, "learner@example.org") == []


# ---------------------------------------------------------------------------------------------
# The bell and the list


@pytest.fixture
def with_notices(app, people):
    """Lea: 35 notices, one a day; Chris (champion): one of his own."""
    with app.app_context():
        lea = person("learner@example.org")
        start = datetime.now(UTC) - timedelta(days=40)
        for day in range(35):
            notify(
                lea,
                NoticeKind.DUE_SOON,
                {"title": f"Modul {day:02d}", "due_on": "2026-12-10"},
                link="modules.show",
                link_args={"module_id": f"m{day}"},
                at=start + timedelta(days=day),
            )
        notify(
            person("champion@example.org"),
            NoticeKind.OVERDUE,
            {"title": "Geheimes Modul", "due_on": "2026-12-01"},
        )
        db.session.commit()


def test_the_bell_counts_unread_and_the_list_marks_what_it_shows(app, with_notices):
    client = login(app, "learner@example.org")
    assert bell(client.get("/").get_data(as_text=True)) == "Mitteilungen, 35 ungelesen"
    first = client.get("/mitteilungen/").get_data(as_text=True)
    assert first.count('class="notice-list__item notice-list__item--unread"') == 30
    assert first.index("„Modul 34“") < first.index("„Modul 05“")  # newest first
    assert "„Modul 04“" not in first
    assert "Seite 1 von 2" in first
    assert bell(client.get("/").get_data(as_text=True)) == "Mitteilungen, 5 ungelesen"
    second = client.get("/mitteilungen/?seite=2").get_data(as_text=True)
    assert "„Modul 04“" in second and "„Modul 00“" in second and "„Modul 05“" not in second
    assert bell(client.get("/").get_data(as_text=True)) == "Mitteilungen"  # no badge
    again = client.get("/mitteilungen/").get_data(as_text=True)
    assert "notice-list__item--unread" not in again


@pytest.mark.parametrize("page", ["0", "99", "x", "%C2%B2", "9" * 40])
def test_odd_page_numbers_show_a_page(app, with_notices, page):
    assert login(app, "learner@example.org").get(f"/mitteilungen/?seite={page}").status_code == 200


def test_nobody_sees_anyone_elses_notices(app, with_notices):
    chris = login(app, "champion@example.org")
    page = chris.get("/mitteilungen/").get_data(as_text=True)
    assert "Geheimes Modul" in page and "„Modul 01“" not in page
    assert bell(chris.get("/").get_data(as_text=True)) == "Mitteilungen"
    assert chris.get("/mitteilungen/1").status_code == 404  # no page per notice to guess
    lea = login(app, "learner@example.org")
    # Chris reading his list marked none of Lea's notices read.
    assert bell(lea.get("/").get_data(as_text=True)) == "Mitteilungen, 35 ungelesen"
    assert "Geheimes Modul" not in lea.get("/mitteilungen/").get_data(as_text=True)


def test_the_unread_count_is_one_query_per_page(app, with_notices):
    client = login(app, "learner@example.org")
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            client.get("/")
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
    assert len([s for s in statements if "FROM notices" in s]) == 1


def test_the_bell_shows_on_small_screens_in_the_menu(app, with_notices):
    html = login(app, "learner@example.org").get("/").get_data(as_text=True)
    menu = html[html.index('class="disclosure__panel site-menu__panel"') :]
    assert '<a href="/mitteilungen/">Mitteilungen' in menu
    assert '<a href="/einstellungen/mitteilungen">Erinnerungen</a>' in menu


# ---------------------------------------------------------------------------------------------
# Texts: written when shown, in the reader's language


@pytest.mark.parametrize(
    ("kind", "params", "text"),
    [
        (
            "reviewed",
            {"title": "Prompts", "champion": "Chris"},
            "Chris hat Ihre Praxisaufgabe zum Modul „Prompts“ angenommen.",
        ),
        (
            "returned",
            {"title": "Prompts", "champion": "Chris"},
            "mit einer Rückmeldung zurückgegeben",
        ),
        (
            "session_to_confirm",
            {"champion": "Chris", "held_on": "2026-12-03", "topic": "Vorlagen"},
            "Chris hat eine Mentoring-Sitzung am 03.12.2026 mit Ihnen eingetragen („Vorlagen“).",
        ),
        ("due_soon", {"title": "Recht", "due_on": "2026-12-10"}, "bis 10.12.2026 abzuschließen"),
        ("overdue", {"title": "Recht", "due_on": "2026-12-01"}, "war bis 01.12.2026"),
        (
            "certificate_expiring",
            {"title": "KI-Champion", "valid_until": "2027-01-31"},
            "Ihr Zertifikat „KI-Champion“ ist noch bis 31.01.2027 gültig.",
        ),
        ("reassessment", {"completed_on": "2026-06-01"}, "am 01.06.2026 abgeschlossen"),
        ("inactivity", {"open": 1}, "noch 1 Pflichtmodul offen"),
        ("inactivity", {"open": 3}, "noch 3 Pflichtmodule offen"),
        ("due_soon", {"title": "Recht", "due_on": "kaputt"}, "bis kaputt abzuschließen"),
        ("gibt-es-noch-nicht", {}, "Neue Mitteilung"),
    ],
)
def test_notice_texts(app, kind, params, text):
    with app.test_request_context():
        assert text in notice_text(kind, params)


def test_a_notice_whose_page_does_not_exist_has_no_link(app, people):
    with app.app_context():
        notify(person("learner@example.org"), "certificate_expiring", {}, link="certification.x")
        db.session.commit()
    page = login(app, "learner@example.org").get("/mitteilungen/").get_data(as_text=True)
    assert "Ihr Zertifikat" in page and "certification" not in page


# ---------------------------------------------------------------------------------------------
# The settings page


def preference(app, email: str):
    with app.app_context():
        found = db.session.get(NotificationPreference, person(email).id)
        return None if found is None else (found.reminders, found.digest)


def test_a_learner_switches_reminders_off_and_on(app, people):
    client = login(app, "learner@example.org")
    page = client.get("/einstellungen/mitteilungen").get_data(as_text=True)
    assert "Ja, erinnern Sie mich" in page and 'checked id="reminders-0"' in page
    assert "Wochenübersicht" not in page.split("<main", 1)[1]  # only heads and champions get one
    response = client.post(
        "/einstellungen/mitteilungen", data={"reminders": "aus"}, follow_redirects=True
    )
    assert "Ihre Einstellungen sind gespeichert." in response.get_data(as_text=True)
    assert preference(app, "learner@example.org") == (False, True)
    client.post("/einstellungen/mitteilungen", data={"reminders": "an", "digest": "aus"})
    assert preference(app, "learner@example.org") == (True, True)  # no digest field for her


def test_a_department_head_switches_the_digest_off(app, people):
    client = login(app, "head@example.org")
    assert "Ja, montags per E-Mail" in client.get("/einstellungen/mitteilungen").get_data(
        as_text=True
    )
    client.post("/einstellungen/mitteilungen", data={"reminders": "an", "digest": "aus"})
    assert preference(app, "head@example.org") == (True, False)


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({}, ["Bitte wählen Sie, ob Sie Erinnerungen erhalten möchten."]),
        ({"reminders": "vielleicht", "digest": "nie"}, ["Diese Auswahl ist nicht möglich."]),
        ({"reminders": "an", "digest": "a\x00"}, ["unzulässiges Steuerzeichen"]),
        ({"reminders": "an"}, ["Bitte wählen Sie, ob Sie die Wochenübersicht erhalten möchten."]),
        ({"reminders": ["an", "aus"], "digest": "ja"}, ["Diese Auswahl ist nicht möglich."]),
    ],
)
def test_bad_input_gets_german_messages_and_changes_nothing(app, people, data, messages):
    response = login(app, "champion@example.org").post("/einstellungen/mitteilungen", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for message in messages:
        assert message in page
    assert preference(app, "champion@example.org") is None


def test_the_settings_are_linked_from_the_account_menu(app, people):
    html = login(app, "learner@example.org").get("/").get_data(as_text=True)
    account = html[html.index('class="account"') : html.index("site-menu")]
    assert '<a href="/einstellungen/mitteilungen">Erinnerungen</a>' in account
