"""Every error under /api/v1 as ``application/problem+json`` (RFC 9457), in German and English.

``detail`` is in the language the client asks for with Accept-Language (German unless it
prefers English; ``Content-Language`` says which), and both texts are always there as
``detail_de`` and ``detail_en``, so a log keeps a text every operator can read. Validation
problems add ``errors``: field → messages."""

import json

from flask import Response, current_app, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from lernpfad.api import rules

TITLES = {
    400: _l("Ungültige Anfrage"),
    401: _l("Nicht angemeldet"),
    403: _l("Keine Berechtigung"),
    404: _l("Nicht gefunden"),
    405: _l("Methode nicht erlaubt"),
    409: _l("Konflikt"),
    413: _l("Anfrage zu groß"),
    415: _l("Falsches Format"),
    422: _l("Ungültige Angaben"),
    429: _l("Zu viele Anfragen"),
    500: _l("Interner Fehler"),
}

# kind → (status, detail); details may hold %(name)s placeholders filled from the arguments.
PROBLEMS = {
    "bad_request": (400, _l("Die Anfrage konnte nicht verarbeitet werden.")),
    "malformed_json": (
        400,
        _l("Der Inhalt der Anfrage ist kein gültiges JSON. Bitte senden Sie ein JSON-Objekt."),
    ),
    "cursor_invalid": (
        400,
        _l(
            "Der Parameter „cursor“ ist ungültig oder gehört zu einer anderen Abfrage. Bitte verwenden Sie den Wert „next_cursor“ der vorigen Seite unverändert, mit denselben Filtern."
        ),
    ),
    "token_in_query": (
        400,
        _l(
            "Zugangs-Tokens werden nur im Header „Authorization: Bearer …“ angenommen, nie in der Adresse: Dort landen sie in Protokollen. Bitte widerrufen Sie dieses Token und erstellen Sie ein neues."
        ),
    ),
    "token_missing": (
        401,
        _l("Es fehlt ein Zugangs-Token. Bitte senden Sie es im Header „Authorization: Bearer …“."),
    ),
    "token_invalid": (401, _l("Dieses Zugangs-Token ist ungültig.")),
    "token_expired": (
        401,
        _l("Dieses Zugangs-Token ist abgelaufen. Bitte lassen Sie ein neues erstellen."),
    ),
    "token_revoked": (401, _l("Dieses Zugangs-Token wurde widerrufen.")),
    "scope_missing": (
        403,
        _l("Diesem Zugangs-Token fehlt die Berechtigung „%(scope)s“ für diese Abfrage."),
    ),
    "not_found": (404, _l("Diese Adresse gibt es in der API nicht.")),
    "person_not_found": (404, _l("Eine Person mit dieser Nummer gibt es nicht.")),
    "department_not_found": (404, _l("Eine Abteilung mit dieser Nummer gibt es nicht.")),
    "method_not_allowed": (405, _l("Diese Methode ist für diese Adresse nicht erlaubt.")),
    "person_exists": (
        409,
        _l(
            "Eine Person mit dieser E-Mail-Adresse gibt es bereits (Nr. %(id)s). Ändern Sie sie mit PATCH."
        ),
    ),
    "person_inactive": (
        409,
        _l("Diese Person ist deaktiviert; ihre Angaben bleiben, wie sie sind."),
    ),
    "too_large": (413, _l("Die Anfrage ist größer als die erlaubten %(limit)s Bytes.")),
    "unsupported_media_type": (415, _l("Bitte senden Sie den Inhalt als „application/json“.")),
    "validation": (
        422,
        _l("Die Angaben sind ungültig. Was je Feld nicht stimmt, steht unter „errors“."),
    ),
    "rate_limited": (
        429,
        _l(
            "Zu viele Anfragen mit diesem Zugangs-Token: höchstens %(limit)s je Minute. Bitte warten Sie %(seconds)s Sekunden."
        ),
    ),
    "server_error": (
        500,
        _l("Etwas ist schiefgelaufen. Der Fehler wurde protokolliert; es wurde nichts geändert."),
    ),
}

GENERIC_KIND = {
    400: "bad_request",
    401: "token_invalid",
    403: "scope_missing",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation",
    429: "rate_limited",
}


def language() -> str:
    return rules.negotiate_language(request.accept_languages, current_app.config["LANGUAGES"])


def _text(message, lang: str, values: dict) -> str:
    with force_locale(lang):
        text = str(message)
    return text % values if values else text


def problem_response(
    kind: str,
    *,
    status: int | None = None,
    detail=None,
    errors: dict | None = None,
    headers: dict | None = None,
    **values,
) -> Response:
    """The problem document of ``kind`` (PROBLEMS), or of ``detail`` (a lazy or plain text)."""
    default_status, message = PROBLEMS.get(kind, PROBLEMS["bad_request"])
    status = status or default_status
    message = detail if detail is not None else message
    lang = language()
    with force_locale(lang):
        title = str(TITLES.get(status, TITLES[400 if status < 500 else 500]))
    document = rules.problem(
        status,
        kind=kind,
        title=title,
        detail_de=_text(message, "de", values),
        detail_en=_text(message, "en", values),
        language=lang,
        errors=_errors_in(errors, lang) if errors else None,
    )
    response = Response(
        json.dumps(document, ensure_ascii=False), status, mimetype="application/problem+json"
    )
    response.headers["Content-Language"] = lang
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="lernpfad"'
    for name, value in (headers or {}).items():
        response.headers[name] = str(value)
    return response


def _errors_in(errors: dict, lang: str) -> dict:
    """Field → messages in ``lang``; a message may be a (German lazy, English) pair."""
    out = {}
    for field, messages in errors.items():
        out[field] = [
            (m[1] if lang == "en" else _text(m[0], "de", {})) if isinstance(m, tuple) else str(m)
            for m in messages
        ]
    return out


# marshmallow's messages (English) in German; others are passed on as they are.
MARSHMALLOW_GERMAN = {
    "Unknown field.": _l("Unbekanntes Feld."),
    "Missing data for required field.": _l("Pflichtfeld fehlt."),
    "Field may not be null.": _l("Darf nicht leer (null) sein."),
    "Not a valid string.": _l("Kein gültiger Text."),
    "Not a valid integer.": _l("Keine gültige ganze Zahl."),
    "Not a valid boolean.": _l("Kein gültiger Wahrheitswert."),
    "Not a valid list.": _l("Keine gültige Liste."),
    "Not a valid datetime.": _l("Kein gültiger Zeitpunkt (ISO 8601)."),
    "Invalid input type.": _l("Ungültiger Typ: erwartet wird ein JSON-Objekt."),
    "Not a valid number.": _l("Keine gültige Zahl."),
    "Contains a character that is not allowed (a NUL byte or a lone surrogate).": _l(
        "Enthält ein unzulässiges Zeichen (ein NUL-Byte oder ein einzelnes Surrogat)."
    ),
}


def validation_errors(messages) -> dict:
    """webargs' nested messages ({location: {field: [...]}}) as field → [(German, English)]."""
    flat: dict[str, list] = {}

    def walk(value, path):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, [*path, str(key)])
        elif isinstance(value, list | tuple):
            for item in value:
                if isinstance(item, dict):
                    walk(item, path)
                else:
                    field = ".".join(path) or "_schema"
                    english = str(item)
                    german = MARSHMALLOW_GERMAN.get(english, english)
                    flat.setdefault(field, []).append((german, english))

    for location, by_field in (messages or {}).items():
        walk(by_field, [] if location in ("json", "query", "querystring") else [location])
    return flat


def http_problem(error: HTTPException) -> Response:
    """An HTTPException under /api/v1 as a problem (webargs' 422/400 carry their messages)."""
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    headers = {}
    if code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    if code == 400 and messages and "json" in messages and _is_json_syntax(messages["json"]):
        return problem_response("malformed_json")
    if code == 422 and messages:
        return problem_response("validation", errors=validation_errors(messages))
    if code == 413:
        return problem_response("too_large", limit=current_app.config["MAX_CONTENT_LENGTH"])
    kind = GENERIC_KIND.get(code, "bad_request" if code < 500 else "server_error")
    if kind in ("token_invalid", "scope_missing", "rate_limited"):  # need details; not raised
        kind = "bad_request"
    return problem_response(kind, status=code, headers=headers)


def _is_json_syntax(messages) -> bool:
    return isinstance(messages, list) and any("Invalid JSON" in str(m) for m in messages)
