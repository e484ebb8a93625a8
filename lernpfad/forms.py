"""The base form, form fields and request-value parsing shared by the features, with German
messages."""

import re
import unicodedata
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

INVALID_CHOICE = _l("Diese Auswahl ist nicht möglich.")
CONTROL_CHARACTERS = _l(
    "Die Eingabe enthält unsichtbare Steuerzeichen (z. B. für die Schreibrichtung). Bitte geben Sie den Text ohne sie ein."
)
NOT_A_NUMBER = _l("Bitte geben Sie eine ganze Zahl mit den Ziffern 0–9 ein.")

# Characters that change the direction of the text around them (U+202E shows "abc" as "cba").
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def has_control_characters(text: str) -> bool:
    """True for text a one-line field must not hold: control characters (tab, line breaks …)
    and the invisible characters that reverse or embed writing direction."""
    return any(ch in BIDI_CONTROLS or unicodedata.category(ch) == "Cc" for ch in text)


def ascii_int(value) -> int:
    """int() for form values, ASCII digits only: int("１２") is 12 to Python, not to people."""
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not (text.isascii() and text.lstrip("-").isdecimal()) or len(text) > 10:
        raise ValueError(value)
    return int(text)


class Form(FlaskForm):
    """The base of every form: one-line text fields refuse control and direction characters
    (long texts keep them; pages show them isolated, see ``dir="auto"`` in the templates)."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if (
                isinstance(field, StringField)
                and not isinstance(field, TextAreaField)
                and isinstance(field.data, str)
                and has_control_characters(field.data)
            ):
                field.errors = [*field.errors, CONTROL_CHARACTERS]
                valid = False
        return valid


class AsciiIntegerField(IntegerField):
    """A whole number typed with the digits 0–9."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = ascii_int(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(NOT_A_NUMBER) from None


def _ascii_coerce(coerce):
    return ascii_int if coerce is int else coerce


class ChoiceField(SelectField):
    def __init__(self, *args, coerce=str, **kwargs):
        super().__init__(*args, coerce=_ascii_coerce(coerce), **kwargs)

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(INVALID_CHOICE) from None

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(INVALID_CHOICE) from None


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, coerce=str, **kwargs):
        super().__init__(*args, coerce=_ascii_coerce(coerce), **kwargs)

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(INVALID_CHOICE) from None

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = []
            raise ValueError(INVALID_CHOICE) from None


def small_int(raw: str | None, digits: int = 9) -> int | None:
    """An id or page number from a query string or form: ASCII digits only ("²" and "٣" are
    digits to Python but not to int()), at most ``digits`` of them; anything else is None."""
    raw = (raw or "").strip()
    if raw.isascii() and raw.isdecimal() and len(raw) <= digits:
        return int(raw)
    return None


_ISO_DATE = re.compile(r"\A(\d{4})-(\d{2})-(\d{2})\Z")
_GERMAN_DATE = re.compile(r"\A(\d{1,2})\.(\d{1,2})\.(\d{4})\Z")


def parse_day(raw: str) -> date | None:
    """A date as the date field sends it (YYYY-MM-DD) or as typed (TT.MM.JJJJ); else None."""
    raw = raw.strip()
    if not raw.isascii():
        return None
    match = _ISO_DATE.match(raw)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _GERMAN_DATE.match(raw)
        if not match:
            return None
        day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None
