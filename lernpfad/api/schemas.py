"""The API's request and response shapes (marshmallow); the OpenAPI document is made from them."""

from datetime import UTC

import marshmallow as ma
from marshmallow import fields, validate

from lernpfad.api import rules
from lernpfad.auth.models import Role

MAX_LIMIT = 200
ID_RANGE = validate.Range(min=1, max=2**31 - 1)


UNSTORABLE = "Contains a character that is not allowed (a NUL byte or a lone surrogate)."


def unstorable(value) -> bool:
    """Text no database stores as it is (PostgreSQL refuses NUL; a lone surrogate is no
    UTF-8): refused before any query sees it."""
    if isinstance(value, str):
        return "\x00" in value or any("\ud800" <= char <= "\udfff" for char in value)
    if isinstance(value, list):
        return any(unstorable(item) for item in value)
    return False


class Strict(ma.Schema):
    """Unknown fields are refused, never ignored; so is text that cannot be stored."""

    class Meta:
        unknown = ma.RAISE
        ordered = True

    @ma.pre_load
    def refuse_unstorable(self, data, **_kwargs):
        if isinstance(data, dict):
            bad = {str(key): [UNSTORABLE] for key, value in data.items() if unstorable(value)}
            if bad:
                raise ma.ValidationError(bad)
        return data


class ProblemSchema(ma.Schema):
    type = fields.String(required=True, metadata={"description": "Stable identifier of the kind"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(
        required=True, metadata={"description": "In the language of Accept-Language (de default)"}
    )
    detail_de = fields.String(required=True)
    detail_en = fields.String(required=True)
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Validation problems: field → messages"},
    )


class UtcDateTime(fields.AwareDateTime):
    """An ISO 8601 moment (UTC without an offset), handed on in UTC; one that has no UTC
    equivalent (9999-12-31T23:00-05:00) is invalid instead of an overflow later."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE) from None


class ListArgs(Strict):
    cursor = fields.String(
        validate=validate.Length(max=rules.MAX_CURSOR_LENGTH),
        metadata={"description": "next_cursor of the previous page, unchanged"},
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_LIMIT))
    updated_since = UtcDateTime(
        default_timezone=UTC,
        metadata={"description": "Only what changed at or after this moment (ISO 8601)"},
    )


class CompetenceArgs(Strict):
    department_id = fields.Integer(validate=ID_RANGE)


class DepartmentRef(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class DepartmentSchema(DepartmentRef):
    active_people = fields.Integer(required=True)
    created_at = fields.AwareDateTime(required=True)


class DepartmentList(ma.Schema):
    items = fields.List(fields.Nested(DepartmentSchema), required=True)


ROLE_VALUES = [role.value for role in Role]


class PersonSchema(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    department = fields.Nested(DepartmentRef, allow_none=True, required=True)
    job_function = fields.String(required=True)
    roles = fields.List(fields.String(validate=validate.OneOf(ROLE_VALUES)), required=True)
    active = fields.Boolean(required=True)
    anonymised = fields.Boolean(required=True)
    manager_id = fields.Integer(allow_none=True, required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class PeoplePage(ma.Schema):
    items = fields.List(fields.Nested(PersonSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


_ROLE_LIST = fields.List(
    fields.String(),
    metadata={
        "description": "Role keys (learner, champion, department_head, leadership); the API "
        "never grants hr, admin, dpo or ai_coordination"
    },
)


class PersonCreate(Strict):
    """Checked exactly like a line of the staff import (people.rules.check)."""

    name = fields.String(required=True)
    email = fields.String(required=True)
    department = fields.String(metadata={"description": "Department name; created if new"})
    job_function = fields.String()
    roles = _ROLE_LIST


class PersonUpdate(Strict):
    """Fields left out stay as they are; checked like a line of the staff import."""

    name = fields.String()
    department = fields.String(metadata={"description": 'Department name; "" for none'})
    job_function = fields.String()
    roles = _ROLE_LIST


class CompletionSchema(ma.Schema):
    id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    module_id = fields.String(required=True)
    title = fields.String(required=True)
    completed_at = fields.AwareDateTime(allow_none=True, required=True)
    quiz_passed_at = fields.AwareDateTime(allow_none=True, required=True)
    content_version = fields.String(required=True)
    content_version_current = fields.Boolean(required=True)


class CompletionPage(ma.Schema):
    items = fields.List(fields.Nested(CompletionSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class CertificateSchema(ma.Schema):
    id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    title = fields.String(required=True)
    code = fields.String(required=True)
    issued_at = fields.AwareDateTime(required=True)
    valid_from = fields.AwareDateTime(required=True)
    valid_until = fields.AwareDateTime(required=True)
    revoked_at = fields.AwareDateTime(allow_none=True, required=True)
    status = fields.String(required=True, validate=validate.OneOf(["valid", "expired", "revoked"]))


class CertificatePage(ma.Schema):
    items = fields.List(fields.Nested(CertificateSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class RecordCompletion(ma.Schema):
    """A completion as the training record page shows it (records.services.Completion)."""

    module_id = fields.String(required=True)
    title = fields.String(required=True)
    completed_at = fields.AwareDateTime(allow_none=True, required=True)
    quiz_passed_at = fields.AwareDateTime(allow_none=True, required=True)
    quiz_attempts = fields.Integer(required=True)
    content_version = fields.String(attribute="version", required=True)
    content_version_current = fields.Boolean(attribute="version_current", required=True)


class RecordCertificate(ma.Schema):
    """A certificate as the training record page shows it (records.services.CertificateRow)."""

    title = fields.String(required=True)
    code = fields.String(required=True)
    issued_at = fields.AwareDateTime(required=True)
    valid_until = fields.AwareDateTime(required=True)
    revoked_at = fields.AwareDateTime(allow_none=True, required=True)
    status = fields.String(required=True, validate=validate.OneOf(["valid", "expired", "revoked"]))


class TrainingRecordSchema(ma.Schema):
    person_id = fields.Integer(required=True)
    completions = fields.List(fields.Nested(RecordCompletion), required=True)
    certificates = fields.List(fields.Nested(RecordCertificate), required=True)


STATUS_DESCRIPTION = (
    "shown; too_few: fewer assessed people than min_group; withheld: hidden so that a smaller "
    "group cannot be worked out by subtraction"
)


class CompetenceFigures(ma.Schema):
    n = fields.Integer(required=True)
    published_at = fields.AwareDateTime(allow_none=True, required=True)
    distribution = fields.Dict(
        keys=fields.String(), values=fields.List(fields.Integer()), required=True
    )
    means = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)


class DepartmentCompetence(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    staff = fields.Integer(required=True)
    assessed = fields.Integer(required=True)
    status = fields.String(
        required=True,
        validate=validate.OneOf(["shown", "too_few", "withheld"]),
        metadata={"description": STATUS_DESCRIPTION},
    )
    means = fields.Dict(keys=fields.String(), values=fields.Float(), allow_none=True, required=True)


class CompetenceSchema(ma.Schema):
    department_id = fields.Integer(allow_none=True, required=True)
    min_group = fields.Integer(required=True)
    dimensions = fields.List(fields.String(), required=True)
    staff = fields.Integer(required=True)
    assessed = fields.Integer(required=True)
    assessed_percent = fields.Integer(required=True)
    completed_modules = fields.Integer(required=True)
    learners_with_completion = fields.Integer(required=True)
    status = fields.String(
        required=True,
        validate=validate.OneOf(["shown", "too_few", "withheld"]),
        metadata={"description": STATUS_DESCRIPTION},
    )
    competence = fields.Nested(CompetenceFigures, allow_none=True, required=True)
    departments = fields.List(fields.Nested(DepartmentCompetence), required=True)
