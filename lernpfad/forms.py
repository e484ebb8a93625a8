"""Form fields and request-value parsing shared by the features, with German messages."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

INVALID_CHOICE = _l("Diese Auswahl ist nicht möglich.")


class ChoiceField(SelectField):
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
