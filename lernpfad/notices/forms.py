from flask_babel import lazy_gettext as _l
from wtforms import RadioField, ValidationError
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired

from lernpfad.forms import INVALID_CHOICE, Form

ON, OFF = "an", "aus"


class OnOffField(RadioField):
    """On or off as two radio buttons, with German messages for a missing or odd value."""

    def __init__(self, label, on_label, off_label, missing, **kwargs):
        super().__init__(
            label,
            choices=[SelectChoice(ON, on_label), SelectChoice(OFF, off_label)],
            validators=[InputRequired(missing)],
            **kwargs,
        )
        self.type = "RadioField"  # the error summary links to the first button, as for radios

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(INVALID_CHOICE) from None


class PreferencesForm(Form):
    reminders = OnOffField(
        _l("Erinnerungen"),
        _l("Ja, erinnern Sie mich"),
        _l("Nein, keine Erinnerungen"),
        _l("Bitte wählen Sie, ob Sie Erinnerungen erhalten möchten."),
        description=_l(
            "Wenn Sie länger nicht gelernt haben, wenn ein zugewiesenes Modul bald fällig ist und wenn Sie die Selbsteinschätzung wiederholen können – per E-Mail und hier in Lernpfad."
        ),
    )
    digest = OnOffField(
        _l("Wochenübersicht"),
        _l("Ja, montags per E-Mail"),
        _l("Nein, keine Wochenübersicht"),
        _l("Bitte wählen Sie, ob Sie die Wochenübersicht erhalten möchten."),
        description=_l(
            "Für Fachbereichsleitungen: der Stand Ihrer Abteilung. Für KI-Champions: wartende Abgaben und unbestätigte Sitzungen."
        ),
    )


class ConfirmForm(Form):
    """The unsubscribe button: nothing but the CSRF token."""
