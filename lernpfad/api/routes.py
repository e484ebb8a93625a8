"""The JSON API for HR systems, /api/v1: bearer tokens with scopes, problem documents for
every error, and an OpenAPI 3.1 document made from these views (flask-smorest).

Every view is marked ``token_only`` (lernpfad.access: no session, no login page) with the scope
it needs; ``authenticate`` checks the token, counts the call against the rate limit and checks
the scope before the view runs. Reads of personal data are audited under the token's name."""

import json
from functools import wraps
from http import HTTPStatus

from flask import current_app, g, request
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint
from flask_smorest.utils import prepare_response
from webargs.flaskparser import FlaskParser

from lernpfad.access import token_only
from lernpfad.api import rules, schemas, services, tokens
from lernpfad.api.problems import problem_response
from lernpfad.auth.models import Person
from lernpfad.db import utcnow
from lernpfad.extensions import csrf, db

PREFIX = "/api/v1"
PROBLEM = "application/problem+json"


class Api(SmorestApi):
    """flask-smorest for the document only: errors stay with the app's handlers (HTML pages,
    and problem documents under /api/), which this API's default response describes."""

    ERROR_SCHEMA = schemas.ProblemSchema

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        for status in HTTPStatus:  # flask-smorest refers to them (e.g. 422 for arguments)
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


class JsonParser(FlaskParser):
    """webargs' parser, but a body nested deeper than Python's recursion limit, or with a
    number longer than Python converts (4,300 digits, a plain ValueError), is malformed JSON
    (a 400 problem) instead of a 500."""

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError:
            raise json.JSONDecodeError("nested too deeply", "[", 0) from None  # not "": missing
        except json.JSONDecodeError:
            raise
        except ValueError:
            raise json.JSONDecodeError("number too long", "0", 0) from None


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = JsonParser()


bp = ApiBlueprint(
    "api",
    __name__,
    url_prefix=PREFIX,
    description="Lernpfad JSON API for HR systems (people, training records, competence)",
)
csrf.exempt(bp)


# What every view may answer before it runs (authenticate), in the document.
TOKEN_RESPONSES = (
    (
        401,
        "No token, or an unknown, expired or revoked one",
        {"WWW-Authenticate": {"schema": {"type": "string"}, "required": True}},
    ),
    (403, "The token lacks the scope this operation needs", None),
    (
        429,
        "Too many calls with this token in this minute",
        {
            "Retry-After": {
                "description": "Seconds until the next minute's calls are allowed",
                "schema": {"type": "string", "pattern": "^[0-9]+$"},
                "required": True,
            }
        },
    ),
)


def scope(needed: str):
    """The scope a token needs for this view; marks it token_only for lernpfad.access and
    documents the refusals before it runs."""

    def mark(view):
        for status, description, headers in TOKEN_RESPONSES:
            view = bp.alt_response(
                status,
                schema=schemas.ProblemSchema,
                content_type=PROBLEM,
                description=description,
                headers=headers,
            )(view)

        @wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        wrapper.lernpfad_scope = needed
        return token_only(wrapper)

    return mark


TOKEN_PROBLEMS = {
    "unknown": "token_invalid",
    "revoked": "token_revoked",
    "expired": "token_expired",
}


@bp.before_request
def authenticate():
    """The bearer token (header only), then the rate limit, then the view's scope."""
    if rules.token_in_query(request.args):
        return problem_response("token_in_query")
    clear, why = rules.bearer_token(request.headers.get("Authorization"))
    if clear is None:
        return problem_response("token_missing" if why == "missing" else "token_invalid")
    now = utcnow()
    token, problem = tokens.find_token(clear, now)
    if problem:
        return problem_response(TOKEN_PROBLEMS[problem])
    calls = tokens.count_call(token.id, now)
    db.session.commit()  # the count holds even when the call is refused below
    limit = current_app.config["API_RATE_LIMIT_PER_MINUTE"]
    if calls > limit:
        seconds = rules.retry_after(now)
        return problem_response(
            "rate_limited", headers={"Retry-After": seconds}, limit=limit, seconds=seconds
        )
    view = current_app.view_functions.get(request.endpoint)
    needed = getattr(view, "lernpfad_scope", None)
    if needed is None or not rules.has_scope(token.scope_set, needed):
        return problem_response("scope_missing", scope=needed or "-")
    if request.method in ("POST", "PATCH", "PUT") and not request.is_json:
        return problem_response("unsupported_media_type")
    g.api_token = token
    return None


def _after(listing: str, args: dict) -> int:
    """The id a page goes on after (0: the first page); a bad cursor is a 400 problem."""
    cursor = args.get("cursor")
    if not cursor:
        return 0
    try:
        return rules.decode_cursor(_cursor_key(), cursor, listing, _filters(args))
    except rules.CursorInvalid:
        raise CursorRefused() from None


class CursorRefused(Exception):
    pass


@bp.errorhandler(CursorRefused)
def cursor_refused(_error):
    return problem_response("cursor_invalid")


def _cursor_key() -> bytes:
    return ("lernpfad.api.cursor:" + current_app.config["SECRET_KEY"]).encode()


def _filters(args: dict) -> dict:
    since = args.get("updated_since")
    return {"updated_since": since.isoformat() if since else None}


def _page_values(page: services.Page, listing: str, args: dict, items) -> dict:
    return {
        "items": items,
        "next_cursor": (
            rules.encode_cursor(_cursor_key(), listing, _filters(args), page.last_id)
            if page.last_id is not None
            else None
        ),
    }


def _person_or_404(person_id: int) -> Person:
    person = db.session.get(Person, person_id)
    if person is None:
        raise PersonMissing()
    return person


class PersonMissing(Exception):
    pass


@bp.errorhandler(PersonMissing)
def person_missing(_error):
    return problem_response("person_not_found")


# --- people and departments -----------------------------------------------------------------


@bp.route("/people", methods=["GET"])
@scope(rules.PEOPLE_READ)
@bp.arguments(schemas.ListArgs, location="query")
@bp.response(200, schemas.PeoplePage)
def list_people(args):
    """People, by id, with cursor pagination; `updated_since` lists only those whose name,
    address, department, function, manager, roles or active state changed since."""
    page = services.people_page(
        after=_after("people", args), limit=args["limit"], updated_since=args.get("updated_since")
    )
    services.audit_people_read(g.api_token, [p.id for p in page.items])
    db.session.commit()
    return _page_values(page, "people", args, [services.person_values(p) for p in page.items])


@bp.route("/people", methods=["POST"])
@scope(rules.PEOPLE_WRITE)
@bp.arguments(schemas.PersonCreate)
@bp.response(201, schemas.PersonSchema)
def create_person(values):
    """Create a person, checked exactly like a line of the staff import (no invitation mail)."""
    try:
        person = services.create_person(values, g.api_token)
    except services.WriteRefused as refused:
        return _write_refused(refused)
    db.session.commit()
    return services.person_values(person)


@bp.route("/people/<int:person_id>", methods=["GET"])
@scope(rules.PEOPLE_READ)
@bp.response(200, schemas.PersonSchema)
def get_person(person_id):
    """One person."""
    person = _person_or_404(person_id)
    services.audit_person_read(g.api_token, person)
    db.session.commit()
    return services.person_values(person)


@bp.route("/people/<int:person_id>", methods=["PATCH"])
@scope(rules.PEOPLE_WRITE)
@bp.arguments(schemas.PersonUpdate)
@bp.response(200, schemas.PersonSchema)
def update_person(values, person_id):
    """Change name, department, function or roles (fields left out stay), checked like a line
    of the staff import. Roles replace the person's roles except HR, administration and data
    protection, which only an administrator changes (in the app)."""
    person = _person_or_404(person_id)
    try:
        services.update_person(person, values, g.api_token)
    except services.WriteRefused as refused:
        return _write_refused(refused)
    db.session.commit()
    return services.person_values(person)


def _write_refused(refused: "services.WriteRefused"):
    db.session.rollback()
    if refused.key == "exists":
        return problem_response("person_exists", id=refused.line.person_id)
    if refused.key == "inactive":
        return problem_response("person_inactive")
    return problem_response("validation", errors=services.line_errors(refused.line))


@bp.route("/departments", methods=["GET"])
@scope(rules.PEOPLE_READ)
@bp.response(200, schemas.DepartmentList)
def list_departments():
    """Every department with its number of active people."""
    return {"items": services.departments()}


# --- training records -----------------------------------------------------------------------


@bp.route("/people/<int:person_id>/training-record", methods=["GET"])
@scope(rules.RECORDS_READ)
@bp.response(200, schemas.TrainingRecordSchema)
def training_record(person_id):
    """One person's completed modules (with content versions) and certificates, read by the
    training record page's own functions; audited like opening that page."""
    from lernpfad.records import services as records

    person = _person_or_404(person_id)
    completions = records.completions(person)
    certificates = records.certificates(person, utcnow())
    services.audit_record_read(g.api_token, person)
    db.session.commit()
    return {"person_id": person.id, "completions": completions, "certificates": certificates}


@bp.route("/training-records/completions", methods=["GET"])
@scope(rules.RECORDS_READ)
@bp.arguments(schemas.ListArgs, location="query")
@bp.response(200, schemas.CompletionPage)
def list_completions(args):
    """Every completed module: who, which, when, on which content version; cursor pagination,
    `updated_since` by completion time."""
    page = services.completions_page(
        after=_after("completions", args),
        limit=args["limit"],
        updated_since=args.get("updated_since"),
    )
    services.audit_records_read(g.api_token, "completions", page.items)
    db.session.commit()
    return _page_values(page, "completions", args, page.items)


@bp.route("/training-records/certificates", methods=["GET"])
@scope(rules.RECORDS_READ)
@bp.arguments(schemas.ListArgs, location="query")
@bp.response(200, schemas.CertificatePage)
def list_certificates(args):
    """Every certificate with its status now; `updated_since` finds those issued or revoked
    since."""
    page = services.certificates_page(
        after=_after("certificates", args),
        limit=args["limit"],
        updated_since=args.get("updated_since"),
        now=utcnow(),
    )
    services.audit_records_read(g.api_token, "certificates", page.items)
    db.session.commit()
    return _page_values(page, "certificates", args, page.items)


# --- competence -----------------------------------------------------------------------------


@bp.route("/competence", methods=["GET"])
@scope(rules.REPORTS_READ)
@bp.arguments(schemas.CompetenceArgs, location="query")
@bp.response(200, schemas.CompetenceSchema)
def competence(args):
    """The report pages' aggregated competence for the company or one department, under the
    same privacy rules: a group under the privacy minimum, or one hidden so that a smaller
    group cannot be worked out, has no figures (status too_few or withheld)."""
    from lernpfad.assessments.services import competency_model

    department_id = args.get("department_id")
    if department_id is not None and not services.department_exists(department_id):
        return problem_response("department_not_found")
    model = competency_model() or {"dimensions": []}
    figures = services.competence(
        [d["key"] for d in model["dimensions"]],
        current_app.config["PRIVACY_MIN_GROUP"],
        department_id,
    )
    db.session.commit()  # a new publication step, if enough changed (as the page does)
    return figures


def register_api(app) -> Api:
    """The API's blueprint and its OpenAPI document (served by lernpfad.api.pages)."""
    app.config.setdefault("API_TITLE", "Lernpfad API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    api = Api(
        app,
        spec_kwargs={
            "info": {
                "description": "Personal access tokens (Authorization: Bearer …) with the scopes "
                + ", ".join(rules.SCOPES)
                + ". Errors are application/problem+json (RFC 9457): detail in the language of "
                "Accept-Language (German by default), and always detail_de and detail_en."
            },
            "security": [{"bearerAuth": []}],
        },
    )
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.register_blueprint(bp)
    app.extensions["lernpfad_api"] = api
    return api
