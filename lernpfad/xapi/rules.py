"""xAPI 1.0.3 statements as pure functions of stored learning events.

A learning event (``Event``) is what one stored row says: a module started or completed, a quiz
or exam attempt passed or failed, a practical task handed in and its review, a certificate
issued. ``statement(event, ...)`` turns it into a statement; nothing here reads the database.

Statement ids are UUID version 5 over a namespace of the installation (from BASE_URL) and the
row's kind, id and slot ("attempted", "completed" or "result"): the same row always gives the
same id, so an export covers the whole history and a second enqueue or a retry can never store
a statement twice. The result slot is shared by passed and failed, so one attempt has one result.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

XAPI_VERSION = "1.0.3"

ATTEMPTED, COMPLETED, PASSED, FAILED = "attempted", "completed", "passed", "failed"
VERBS = {
    ATTEMPTED: {"de-DE": "begonnen", "en-US": "attempted"},
    COMPLETED: {"de-DE": "abgeschlossen", "en-US": "completed"},
    PASSED: {"de-DE": "bestanden", "en-US": "passed"},
    FAILED: {"de-DE": "nicht bestanden", "en-US": "failed"},
}
VERB_IRI = "http://adlnet.gov/expapi/verbs/"
ACTIVITY_TYPE_IRI = "http://adlnet.gov/expapi/activities/"

# source kind → (ADL activity type, German and English name pattern)
MODULE, QUIZ, TASK, EXAM, CERTIFICATE = "module", "quiz", "task", "exam", "certificate"
ACTIVITIES = {
    MODULE: ("module", "{title}", "{title}"),
    QUIZ: ("assessment", "Quiz: {title}", "Quiz: {title}"),
    TASK: ("performance", "Praxisaufgabe: {title}", "Practical task: {title}"),
    EXAM: ("assessment", "Abschlussprüfung: {title}", "Final exam: {title}"),
    CERTIFICATE: ("course", "{title}", "{title}"),
}
SOURCES = tuple(ACTIVITIES)
PLATFORM = "Lernpfad"


@dataclass(frozen=True)
class Event:
    """One learning event of one person, as stored. ``key`` names the activity (a module id or
    the certification's id), ``title`` its German title; ``version`` the content it was made on."""

    source: str
    row_id: int
    verb: str
    person_id: int
    at: datetime
    key: str
    title: str
    correct: int | None = None
    total: int | None = None
    success: bool | None = None
    completion: bool | None = None
    version: str | None = None

    @property
    def slot(self) -> str:
        return "result" if self.verb in (PASSED, FAILED) else self.verb


# ---------------------------------------------------------------------------------------------
# Rows → events


def module_events(
    row_id, person_id, module_id, title, version, started_at, completed_at
) -> list[Event]:
    """A module's progress row: "attempted" when it was started, "completed" once complete."""
    common = {"source": MODULE, "row_id": row_id, "person_id": person_id, "key": module_id}
    common |= {"title": title, "version": version}
    found = [Event(verb=ATTEMPTED, at=started_at, **common)]
    if completed_at is not None:
        found.append(
            Event(verb=COMPLETED, at=completed_at, success=True, completion=True, **common)
        )
    return found


def quiz_event(row_id, person_id, module_id, title, version, correct, total, passed, at) -> Event:
    """A quiz attempt: passed or failed, with its score."""
    return Event(
        QUIZ,
        row_id,
        PASSED if passed else FAILED,
        person_id,
        at,
        module_id,
        title,
        correct=correct,
        total=total,
        success=bool(passed),
        completion=True,
        version=version,
    )


def task_events(
    row_id, person_id, module_id, title, version, status, created_at, reviewed_at
) -> list[Event]:
    """A practical-task hand-in: "attempted" when handed in; then "passed" (accepted by a
    champion), "failed" (returned for revision) or "completed" (confirmed by the learner where
    no review is needed). Waiting for review: the hand-in only."""
    common = {"source": TASK, "row_id": row_id, "person_id": person_id, "key": module_id}
    common |= {"title": title, "version": version}
    found = [Event(verb=ATTEMPTED, at=created_at, **common)]
    if status == "accepted" and reviewed_at is not None:
        found.append(Event(verb=PASSED, at=reviewed_at, success=True, completion=True, **common))
    elif status == "returned" and reviewed_at is not None:
        found.append(Event(verb=FAILED, at=reviewed_at, success=False, completion=True, **common))
    elif status == "confirmed":
        found.append(Event(verb=COMPLETED, at=reviewed_at or created_at, completion=True, **common))
    return found


def exam_events(
    row_id,
    person_id,
    key,
    title,
    version,
    *,
    started_at,
    deadline,
    submitted_at,
    correct,
    total,
    passed,
    questions: int,
    now: datetime,
    grace: timedelta,
) -> list[Event]:
    """An exam attempt: "attempted" when started; "passed" or "failed" with the score once handed
    in (late counts as failed). An attempt whose time ran out without a hand-in (and after the
    grace a late click still has) failed with no answer right."""
    common = {"source": EXAM, "row_id": row_id, "person_id": person_id, "key": key}
    common |= {"title": title, "version": version}
    found = [Event(verb=ATTEMPTED, at=started_at, **common)]
    if submitted_at is not None and passed is not None:
        found.append(
            Event(
                verb=PASSED if passed else FAILED,
                at=submitted_at,
                correct=correct,
                total=total,
                success=bool(passed),
                completion=True,
                **common,
            )
        )
    elif submitted_at is None and now > deadline + grace:
        found.append(
            Event(
                verb=FAILED,
                at=deadline,
                correct=0,
                total=questions,
                success=False,
                completion=False,
                **common,
            )
        )
    return found


def certificate_event(row_id, person_id, key, title, issued_at) -> Event:
    """An issued certificate (a renewal too): the certification passed."""
    return Event(
        CERTIFICATE,
        row_id,
        PASSED,
        person_id,
        issued_at,
        key,
        title,
        success=True,
        completion=True,
    )


# ---------------------------------------------------------------------------------------------
# Events → statements


def namespace(base_url: str) -> uuid.UUID:
    """The installation's namespace for statement ids: two companies sending to one LRS never
    share an id."""
    return uuid.uuid5(uuid.NAMESPACE_URL, base_url.rstrip("/") + "/xapi")


def statement_id(ns: uuid.UUID, source: str, row_id: int, slot: str) -> str:
    return str(uuid.uuid5(ns, f"{source}:{row_id}:{slot}"))


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and "Z" (stored times are UTC; a naive one is UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def activity_id(base_url: str, source: str, key: str) -> str:
    """The activity's IRI under BASE_URL: modules, their quiz and task; the certification and
    its exam."""
    root = base_url.rstrip("/") + "/xapi/activities"
    key = quote(str(key), safe="")
    if source == MODULE:
        return f"{root}/module/{key}"
    if source in (QUIZ, TASK):
        return f"{root}/module/{key}/{source}"
    if source == CERTIFICATE:
        return f"{root}/certification/{key}"
    if source == EXAM:
        return f"{root}/certification/{key}/exam"
    raise ValueError(source)


def activity(base_url: str, source: str, key: str, title: str) -> dict:
    kind, german, english = ACTIVITIES[source]
    return {
        "objectType": "Activity",
        "id": activity_id(base_url, source, key),
        "definition": {
            "type": ACTIVITY_TYPE_IRI + kind,
            "name": {"de-DE": german.format(title=title), "en-US": english.format(title=title)},
        },
    }


PARENTS = {QUIZ: MODULE, TASK: MODULE, EXAM: CERTIFICATE}


def actor(base_url: str, name: str) -> dict:
    """The pseudonymous actor: an account on this platform, never an address or a name."""
    return {"objectType": "Agent", "account": {"homePage": base_url.rstrip("/"), "name": name}}


def result_of(event: Event) -> dict | None:
    result = {}
    if event.correct is not None and event.total:
        result["score"] = {
            "scaled": round(max(0, min(event.correct, event.total)) / event.total, 4),
            "raw": max(0, min(event.correct, event.total)),
            "min": 0,
            "max": event.total,
        }
    if event.success is not None:
        result["success"] = event.success
    if event.completion is not None:
        result["completion"] = event.completion
    return result or None


def statement(event: Event, *, base_url: str, actor_name: str, ns: uuid.UUID) -> dict:
    """The xAPI 1.0.3 statement of ``event`` for the actor named ``actor_name``."""
    context = {"platform": PLATFORM, "language": "de-DE"}
    parent = PARENTS.get(event.source)
    if parent:
        context["contextActivities"] = {
            "parent": [activity(base_url, parent, event.key, event.title)]
        }
    if event.version:
        extension = base_url.rstrip("/") + "/xapi/extensions/content-version"
        context["extensions"] = {extension: event.version}
    built = {
        "id": statement_id(ns, event.source, event.row_id, event.slot),
        "actor": actor(base_url, actor_name),
        "verb": {"id": VERB_IRI + event.verb, "display": dict(VERBS[event.verb])},
        "object": activity(base_url, event.source, event.key, event.title),
        "context": context,
        "timestamp": timestamp(event.at),
        "version": XAPI_VERSION,
    }
    result = result_of(event)
    if result is not None:
        built["result"] = result
    return built


# ---------------------------------------------------------------------------------------------
# The LRS's answer

STORED, REFUSED, STOP = "stored", "refused", "stop"


def lrs_outcome(status: int) -> str:
    """What an answer to PUT /statements means: "stored" (204, 200; 409: the LRS has this id
    already — a retry after a lost answer), "refused" (400, 413: this statement; the next may
    go), else "stop" (credentials, a wrong address, an overloaded or broken LRS: the run ends
    and everything waits for the next one)."""
    if status in (200, 204, 409):
        return STORED
    if status in (400, 413):
        return REFUSED
    return STOP


_USERINFO = re.compile(r"[^\s/'\"@]+:[^\s/'\"@]*@")  # "user:password@" of a URL


def without_secrets(text: str, password: str | None = None) -> str:
    """An error text for the outbox page and the log without the LRS's credentials: the
    "user:password@" of any URL in it (requests names the whole URL when it cannot use it, e.g.
    an unknown scheme or port) and the configured password wherever it appears."""
    text = _USERINFO.sub("", text)
    if password:
        text = text.replace(password, "***")
    return text
