"""The pure rules: which events a row gives, how an event becomes a statement, what an LRS
answer means. Table-driven."""

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from lernpfad.xapi import rules
from tests.xapi.spec import problems

BASE = "https://lernen.example.de"
NS = rules.namespace(BASE)
T = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
LATER = T + timedelta(hours=2)
GRACE = timedelta(seconds=30)


@pytest.mark.parametrize(
    ("completed_at", "verbs"),
    [(None, ["attempted"]), (LATER, ["attempted", "completed"])],
)
def test_module_progress_gives_attempted_and_once_complete_completed(completed_at, verbs):
    found = rules.module_events(7, 1, "g1", "Grundlagen", "abc", T, completed_at)
    assert [event.verb for event in found] == verbs
    assert found[0].at == T
    if completed_at:
        assert (found[1].at, found[1].success, found[1].completion) == (LATER, True, True)


@pytest.mark.parametrize(
    ("correct", "total", "passed", "verb", "scaled"),
    [(4, 5, True, "passed", 0.8), (1, 5, False, "failed", 0.2), (0, 3, False, "failed", 0.0)],
)
def test_quiz_attempt_passed_or_failed_with_score(correct, total, passed, verb, scaled):
    event = rules.quiz_event(3, 1, "g1", "Grundlagen", "abc", correct, total, passed, T)
    built = rules.statement(event, base_url=BASE, actor_name="p", ns=NS)
    assert built["verb"]["id"] == f"http://adlnet.gov/expapi/verbs/{verb}"
    assert built["result"] == {
        "score": {"scaled": scaled, "raw": correct, "min": 0, "max": total},
        "success": passed,
        "completion": True,
    }
    assert problems(built) == []


@pytest.mark.parametrize(
    ("status", "reviewed_at", "verbs", "result_at"),
    [
        ("submitted", None, ["attempted"], None),
        ("accepted", LATER, ["attempted", "passed"], LATER),
        ("returned", LATER, ["attempted", "failed"], LATER),
        ("confirmed", None, ["attempted", "completed"], T),
    ],
)
def test_task_hand_in_and_its_review(status, reviewed_at, verbs, result_at):
    found = rules.task_events(5, 1, "w2", "Werkzeuge", "abc", status, T, reviewed_at)
    assert [event.verb for event in found] == verbs
    if result_at:
        assert found[1].at == result_at


def _exam(now, *, submitted_at=None, correct=None, total=None, passed=None):
    return rules.exam_events(
        9,
        1,
        "ki-champion",
        "KI-Champion",
        "pool",
        started_at=T,
        deadline=T + timedelta(minutes=30),
        submitted_at=submitted_at,
        correct=correct,
        total=total,
        passed=passed,
        questions=20,
        now=now,
        grace=GRACE,
    )


@pytest.mark.parametrize(
    ("now", "kwargs", "expected"),
    [
        # running: only the start
        (T + timedelta(minutes=5), {}, [("attempted", None, None)]),
        # time up, but a late click may still come within the grace: not decided yet
        (T + timedelta(minutes=30, seconds=10), {}, [("attempted", None, None)]),
        # time and grace over without a hand-in: failed, nothing right
        (T + timedelta(minutes=31), {}, [("attempted", None, None), ("failed", False, 0)]),
        (
            LATER,
            {"submitted_at": T + timedelta(minutes=20), "correct": 17, "total": 20, "passed": True},
            [("attempted", None, None), ("passed", True, 17)],
        ),
        (
            LATER,
            {"submitted_at": T + timedelta(minutes=20), "correct": 9, "total": 20, "passed": False},
            [("attempted", None, None), ("failed", False, 9)],
        ),
    ],
)
def test_exam_attempt(now, kwargs, expected):
    found = _exam(now, **kwargs)
    assert [(e.verb, e.success, e.correct) for e in found] == expected


def test_the_result_of_an_attempt_has_one_id_whether_passed_or_failed():
    passed = rules.quiz_event(3, 1, "g1", "G", None, 5, 5, True, T)
    failed = rules.quiz_event(3, 1, "g1", "G", None, 1, 5, False, T)
    ids = {rules.statement(e, base_url=BASE, actor_name="p", ns=NS)["id"] for e in (passed, failed)}
    assert len(ids) == 1


def test_statement_ids_are_uuids_fixed_by_installation_kind_row_and_slot():
    first = rules.statement_id(NS, "quiz", 3, "result")
    assert uuid.UUID(first).version == 5
    assert first == rules.statement_id(rules.namespace(BASE + "/"), "quiz", 3, "result")
    others = {
        rules.statement_id(NS, "quiz", 4, "result"),
        rules.statement_id(NS, "task", 3, "result"),
        rules.statement_id(NS, "quiz", 3, "attempted"),
        rules.statement_id(rules.namespace("https://other.example.de"), "quiz", 3, "result"),
    }
    assert first not in others and len(others) == 4


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 12, 1, 9, 30, tzinfo=UTC), "2026-12-01T09:30:00.000Z"),
        (
            datetime(2026, 7, 1, 11, 30, 5, 123456, tzinfo=timezone(timedelta(hours=2))),
            "2026-07-01T09:30:05.123Z",
        ),
        (datetime(2026, 12, 1, 9, 30), "2026-12-01T09:30:00.000Z"),  # naive: stored UTC
    ],
)
def test_timestamps_are_utc(moment, expected):
    assert rules.timestamp(moment) == expected


@pytest.mark.parametrize(
    ("source", "key", "expected"),
    [
        ("module", "g1", f"{BASE}/xapi/activities/module/g1"),
        ("quiz", "g1", f"{BASE}/xapi/activities/module/g1/quiz"),
        ("task", "g1", f"{BASE}/xapi/activities/module/g1/task"),
        ("exam", "ki-champion", f"{BASE}/xapi/activities/certification/ki-champion/exam"),
        ("certificate", "ki-champion", f"{BASE}/xapi/activities/certification/ki-champion"),
        ("module", "a b/ü", f"{BASE}/xapi/activities/module/a%20b%2F%C3%BC"),
    ],
)
def test_activity_ids_are_iris_under_base_url(source, key, expected):
    assert rules.activity_id(BASE + "/", source, key) == expected


@pytest.mark.parametrize(
    ("source", "kind", "parent"),
    [
        ("module", "module", None),
        ("quiz", "assessment", "module"),
        ("task", "performance", "module"),
        ("exam", "assessment", "course"),
        ("certificate", "course", None),
    ],
)
def test_activity_types_from_the_adl_vocabulary(source, kind, parent):
    event = rules.Event(source, 1, "attempted", 1, T, "k", "Titel", version="v1")
    built = rules.statement(event, base_url=BASE, actor_name="p", ns=NS)
    assert built["object"]["definition"]["type"] == f"http://adlnet.gov/expapi/activities/{kind}"
    parents = built["context"].get("contextActivities", {}).get("parent", [])
    assert [p["definition"]["type"].rsplit("/", 1)[1] for p in parents] == (
        [parent] if parent else []
    )
    assert built["context"]["extensions"] == {f"{BASE}/xapi/extensions/content-version": "v1"}
    assert built["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": BASE, "name": "p"},
    }
    assert built["version"] == "1.0.3"
    assert problems(built) == []


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (204, "stored"),
        (200, "stored"),
        (409, "stored"),
        (400, "refused"),
        (413, "refused"),
        (401, "stop"),
        (403, "stop"),
        (404, "stop"),
        (429, "stop"),
        (500, "stop"),
        (503, "stop"),
    ],
)
def test_what_an_lrs_answer_means(status, outcome):
    assert rules.lrs_outcome(status) == outcome


@pytest.mark.parametrize(
    ("statement", "complaint"),
    [
        ({"actor": {"objectType": "Agent", "mbox": "mailto:a@b.de"}}, "not only an account"),
        ({"verb": {"id": "http://example.org/verbs/liked", "display": {"en-US": "x"}}}, "ADL verb"),
        ({"result": {"score": {"scaled": 1.5}}}, "scaled outside"),
        ({"result": {"score": {"raw": 7, "min": 0, "max": 5}}}, "raw outside"),
        ({"result": {"success": "yes"}}, "not a boolean"),
        ({"timestamp": "2026-12-01T10:30:00+01:00"}, "not ISO 8601 in UTC"),
        ({"id": "42"}, "not a UUID"),
        ({"version": "2.0.0"}, "not 1.0.3"),
    ],
)
def test_the_spec_checks_catch_what_they_are_for(statement, complaint):
    good = rules.statement(
        rules.quiz_event(3, 1, "g1", "G", None, 4, 5, True, T), base_url=BASE, actor_name="p", ns=NS
    )
    assert problems(good) == []
    bad = {**good, **statement}
    assert any(complaint in problem for problem in problems(bad)), problems(bad)


@pytest.mark.parametrize(
    ("text", "password", "expected"),
    [
        (
            "InvalidURL: Failed to parse: http://lrs:S3cret@host:99999/xapi/statements",
            None,
            "InvalidURL: Failed to parse: http://host:99999/xapi/statements",
        ),
        (
            "InvalidSchema: No connection adapters were found for 'lrs:S3cret@host/xapi'",
            None,
            "InvalidSchema: No connection adapters were found for 'host/xapi'",
        ),
        ("HTTP 401: wrong password S3cret", "S3cret", "HTTP 401: wrong password ***"),
        (
            "ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=1): refused",
            "S3cret",
            "ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=1): refused",
        ),
    ],
)
def test_an_error_text_keeps_no_credentials(text, password, expected):
    assert rules.without_secrets(text, password) == expected
