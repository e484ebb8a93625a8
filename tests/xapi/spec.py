"""The xAPI 1.0.3 rules a statement of Lernpfad must keep, written out as checks of their own
(independent of lernpfad.xapi.rules): ``problems(statement)`` lists what is wrong."""

import re
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

ADL_VERBS = {
    f"http://adlnet.gov/expapi/verbs/{verb}"
    for verb in ("attempted", "completed", "passed", "failed")
}
ADL_ACTIVITY_TYPES = {
    f"http://adlnet.gov/expapi/activities/{kind}"
    for kind in (
        "assessment",
        "course",
        "file",
        "interaction",
        "link",
        "media",
        "meeting",
        "module",
        "objective",
        "performance",
        "profile",
        "question",
        "simulation",
        "cmi.interaction",
    )
}
TOP_LEVEL = {
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
}
# ISO 8601 date and time with an explicit UTC offset (Z or +00:00).
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$")


def is_iri(value) -> bool:
    if not isinstance(value, str) or any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _language_map(value) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(
            re.fullmatch(r"[a-z]{2}-[A-Z]{2}", k) and isinstance(v, str) and v
            for k, v in value.items()
        )
    )


def _activity(activity, where: str) -> list[str]:
    found = []
    if not isinstance(activity, dict):
        return [f"{where}: not an object"]
    if activity.get("objectType", "Activity") != "Activity":
        found.append(f"{where}: objectType is not Activity")
    if not is_iri(activity.get("id")):
        found.append(f"{where}: id is not an IRI")
    definition = activity.get("definition")
    if not isinstance(definition, dict):
        found.append(f"{where}: no definition")
    else:
        if definition.get("type") not in ADL_ACTIVITY_TYPES:
            found.append(f"{where}: type {definition.get('type')!r} is not an ADL activity type")
        if not _language_map(definition.get("name")):
            found.append(f"{where}: name is not a language map")
    return found


def problems(statement: dict) -> list[str]:
    found = []
    extra = set(statement) - TOP_LEVEL
    if extra:
        found.append(f"unknown properties {sorted(extra)}")
    try:
        if str(uuid.UUID(statement["id"])) != statement["id"]:
            found.append("id is not a UUID in its canonical form")
    except (KeyError, ValueError, TypeError, AttributeError):
        found.append("id is not a UUID")
    actor = statement.get("actor")
    if not isinstance(actor, dict) or actor.get("objectType") != "Agent":
        found.append("actor is not an Agent")
    else:
        if set(actor) != {"objectType", "account"}:
            found.append(f"actor has {sorted(actor)}, not only an account")
        account = actor.get("account")
        if not isinstance(account, dict) or set(account) != {"homePage", "name"}:
            found.append("account is not {homePage, name}")
        else:
            if not is_iri(account["homePage"]):
                found.append("homePage is not an IRL")
            if not isinstance(account["name"], str) or not account["name"]:
                found.append("account name is empty")
    verb = statement.get("verb") or {}
    if verb.get("id") not in ADL_VERBS:
        found.append(f"verb {verb.get('id')!r} is not an ADL verb")
    display = verb.get("display")
    if not _language_map(display) or not {"de-DE", "en-US"} <= set(display):
        found.append("verb display lacks de-DE or en-US")
    found += _activity(statement.get("object"), "object")
    result = statement.get("result")
    if result is not None:
        score = result.get("score")
        if score is not None:
            scaled = score.get("scaled")
            if scaled is not None and not (isinstance(scaled, int | float) and -1 <= scaled <= 1):
                found.append("score.scaled outside [-1, 1]")
            low, high, raw = score.get("min"), score.get("max"), score.get("raw")
            if low is not None and high is not None and not low < high:
                found.append("score.min is not below score.max")
            if raw is not None and (
                (low is not None and raw < low) or (high is not None and raw > high)
            ):
                found.append("score.raw outside [min, max]")
        for key in ("success", "completion"):
            if key in result and not isinstance(result[key], bool):
                found.append(f"result.{key} is not a boolean")
    context = statement.get("context")
    if context is not None:
        for parent in (context.get("contextActivities") or {}).get("parent", []):
            found += _activity(parent, "context parent")
        for key in context.get("extensions") or {}:
            if not is_iri(key):
                found.append("context extension key is not an IRI")
    stamp = statement.get("timestamp")
    if not isinstance(stamp, str) or not TIMESTAMP.match(stamp):
        found.append(f"timestamp {stamp!r} is not ISO 8601 in UTC")
    elif datetime.fromisoformat(stamp.replace("Z", "+00:00")).utcoffset() != timedelta(0):
        found.append("timestamp is not UTC")
    if "version" in statement and statement["version"] != "1.0.3":
        found.append("version is not 1.0.3")
    return found
