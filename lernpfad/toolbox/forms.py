from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField, ValidationError
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import DateInput

from lernpfad.forms import AsciiIntegerField, CheckboxListField, ChoiceField, Form, parse_day
from lernpfad.toolbox import rules

STATUS_LABELS = {
    rules.IN_REVIEW: _l("in Prüfung"),
    rules.APPROVED: _l("freigegeben"),
    rules.RESTRICTED: _l("eingeschränkt"),
    rules.REFUSED: _l("nicht zugelassen"),
}
DATA_CLASS_LABELS = {
    rules.GREEN: _l("Grün – öffentlich oder allgemein"),
    rules.YELLOW: _l("Gelb – intern oder personenbezogen"),
    rules.RED: _l("Rot – streng vertraulich"),
}
HOSTING_LABELS = {
    "eigener_betrieb": _l("Eigener Betrieb (eigene Server)"),
    "deutschland": _l("Deutschland"),
    "eu": _l("EU/EWR"),
    "drittland_angemessen": _l("Drittland mit Angemessenheitsbeschluss"),
    "drittland": _l("Drittland ohne Angemessenheitsbeschluss"),
}
LICENCE_LABELS = {
    "je_person": _l("Lizenz je Person"),
    "nutzungsabhaengig": _l("Nutzungsabhängig"),
    "pauschal": _l("Pauschale"),
    "kostenlos": _l("Kostenlos"),
    "open_source": _l("Open Source"),
}
# Problems the service finds (rules and the stored tools): message keys → German.
PROBLEM_MESSAGES = {
    "name_taken": _l("Ein Werkzeug mit diesem Namen steht schon in der Toolbox."),
    "status_new": _l(
        "Ein neues Werkzeug beginnt „in Prüfung“ oder „nicht zugelassen“; freigegeben wird es erst nach der Prüfung."
    ),
    "status_change": _l(
        "Dieser Statuswechsel ist nicht vorgesehen (in Prüfung → freigegeben oder eingeschränkt → nicht zugelassen; ein nicht zugelassenes Werkzeug wird erst wieder geprüft)."
    ),
    "dpa_needed": _l(
        "Ohne Auftragsverarbeitungsvertrag (AVV) lässt sich ein Werkzeug eines Anbieters nur für „Grün“ freigeben: Gelb und Rot umfassen personenbezogene Daten."
    ),
    "refused_tool_linked": _l(
        "Ein nicht zugelassenes Werkzeug dient keinem Anwendungsfall. Entfernen Sie die Anwendungsfälle oder wählen Sie einen anderen Status."
    ),
}
NOT_A_DATE = _l("Bitte geben Sie ein gültiges Datum an, z. B. 31.03.2027.")


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(key, label) for key, label in labels.items()]


class NamedChoiceField(ChoiceField):
    """A choice whose refusal says what to choose (``invalid``) instead of the general message."""

    def __init__(self, *args, invalid, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid = invalid

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(self.invalid) from None


class DayField(StringField):
    """A date as the browser's date field sends it (YYYY-MM-DD) or typed as TT.MM.JJJJ."""

    widget = DateInput()

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = parse_day(self.raw) if self.raw else None
        if self.raw and self.data is None:
            raise ValueError(NOT_A_DATE)

    def _value(self):
        if getattr(self, "raw", None) and self.data is None:
            return self.raw  # shown again as typed, with the message beside it
        return self.data.isoformat() if self.data else ""


def _required(message):
    return [DataRequired(message)]


class ToolForm(Form):
    name = StringField(
        _l("Name"),
        validators=[
            *_required(_l("Bitte geben Sie den Namen des Werkzeugs ein.")),
            Length(max=120),
        ],
    )
    provider = StringField(
        _l("Anbieter"),
        validators=[*_required(_l("Bitte nennen Sie den Anbieter.")), Length(max=200)],
    )
    purpose = TextAreaField(
        _l("Wofür"),
        validators=[
            *_required(_l("Bitte beschreiben Sie, wofür das Werkzeug gedacht ist.")),
            Length(max=2000),
        ],
        description=_l(
            "Aufgaben, für die es gedacht ist – bei „eingeschränkt“ auch die Einschränkung."
        ),
    )
    status = NamedChoiceField(
        _l("Status"),
        choices=_choices(STATUS_LABELS),
        invalid=_l("Bitte wählen Sie einen Status aus der Liste."),
    )
    data_class = NamedChoiceField(
        _l("Höchste erlaubte Datenklasse"),
        choices=_choices(DATA_CLASS_LABELS),
        invalid=_l("Bitte wählen Sie eine Datenklasse aus der Liste (Grün, Gelb oder Rot)."),
        description=_l("Nach der Ampel der KI-Richtlinie; niedrigere Klassen sind eingeschlossen."),
    )
    hosting_region = NamedChoiceField(
        _l("Hosting"),
        choices=_choices(HOSTING_LABELS),
        invalid=_l("Bitte wählen Sie einen Ort aus der Liste."),
    )
    has_dpa = BooleanField(_l("Auftragsverarbeitungsvertrag (AVV/DPA) liegt vor"))
    licence_model = NamedChoiceField(
        _l("Lizenzmodell"),
        choices=_choices(LICENCE_LABELS),
        invalid=_l("Bitte wählen Sie ein Lizenzmodell aus der Liste."),
    )
    monthly_cost_eur = AsciiIntegerField(
        _l("Kosten im Monat in Euro (optional)"),
        validators=[
            Optional(),
            NumberRange(
                min=0,
                max=10_000_000,
                message=_l("Bitte geben Sie einen Betrag von 0 bis 10.000.000 Euro an."),
            ),
        ],
        description=_l("Für das ganze Unternehmen, ganze Euro."),
    )
    owner = StringField(
        _l("Verantwortlich"),
        validators=[*_required(_l("Bitte nennen Sie, wer verantwortlich ist.")), Length(max=200)],
        description=_l("Team oder Funktion, z. B. „IT-Betrieb“ oder „KI-Koordination“."),
    )
    review_on = DayField(_l("Nächste Überprüfung (optional)"))
    use_cases = CheckboxListField(_l("Anwendungsfälle, denen es dient"), coerce=int)
