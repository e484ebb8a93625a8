from datetime import timedelta

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, StringField, TextAreaField, ValidationError
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lernpfad.db import local_today
from lernpfad.forms import AsciiIntegerField, ChoiceField, Form, parse_day
from lernpfad.usecases import pilots

STATUS_LABELS = {
    "idee": _l("Idee"),
    "bewertet": _l("bewertet"),
    "pilot": _l("Pilot"),
    "im_einsatz": _l("im Einsatz"),
    "verworfen": _l("verworfen"),
}
SCORE_CHOICES = [SelectChoice(str(n), f"{n}") for n in range(1, 6)]


NOT_A_NUMBER = _l(
    "Bitte geben Sie eine Zahl an, z. B. 90 oder 1,5 (eine Einheit dahinter ist erlaubt)."
)
UNIT_MISMATCH = _l("Die Einheit „%(written)s“ passt nicht zur Kennzahl (Einheit: %(unit)s).")
DECISION_LABELS = {
    "ausrollen": _l("Ausrollen (im Einsatz)"),
    "verlaengern": _l("Verlängern"),
    "stoppen": _l("Stoppen (verworfen)"),
}


class DayField(DateField):
    """A date as the date picker sends it or as typed (TT.MM.JJJJ), with a German message."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = parse_day(valuelist[0])
        if self.data is None:
            raise ValueError(_l("Bitte geben Sie ein gültiges Datum an (TT.MM.JJJJ)."))


def _required(message):
    return [DataRequired(message)]


class UseCaseForm(Form):
    # Only when a new use case could belong to several departments (a champion's); removed otherwise.
    department_id = ChoiceField(
        _l("Abteilung"),
        coerce=int,
        validators=[DataRequired(_l("Bitte wählen Sie eine Abteilung."))],
    )
    title = StringField(
        _l("Titel"),
        validators=[*_required(_l("Bitte geben Sie einen Titel ein.")), Length(max=200)],
    )
    # Not "process": that name belongs to the form itself.
    business_process = StringField(
        _l("Prozess"),
        validators=[*_required(_l("Bitte nennen Sie den Prozess.")), Length(max=300)],
        description=_l("In welchem bestehenden Arbeitsablauf soll KI helfen?"),
    )
    problem = TextAreaField(
        _l("Problem"),
        validators=[*_required(_l("Bitte beschreiben Sie das Problem.")), Length(max=4000)],
    )
    expected_benefit = TextAreaField(
        _l("Erwarteter Nutzen"),
        validators=[
            *_required(_l("Bitte beschreiben Sie den erwarteten Nutzen.")),
            Length(max=4000),
        ],
    )
    kpi_name = StringField(
        _l("Kennzahl (KPI)"),
        validators=[*_required(_l("Bitte nennen Sie eine Kennzahl.")), Length(max=200)],
        description=_l("z. B. Bearbeitungszeit je Anfrage in Minuten"),
    )
    kpi_unit = StringField(
        _l("Einheit (optional)"),
        validators=[Optional(), Length(max=pilots.UNIT_MAX)],
        description=_l(
            "z. B. Minuten, %, Stück – ohne Angabe gilt die Einheit in Klammern hinter der Kennzahl"
        ),
    )
    kpi_baseline = StringField(
        _l("Ausgangswert"),
        validators=[*_required(_l("Bitte geben Sie den Ausgangswert an.")), Length(max=100)],
        description=_l("Eine Zahl, z. B. 90 oder 1,5"),
    )
    kpi_target = StringField(
        _l("Zielwert"),
        validators=[*_required(_l("Bitte geben Sie den Zielwert an.")), Length(max=100)],
        description=_l("Eine Zahl in derselben Einheit, z. B. 45"),
    )
    score_value = ChoiceField(
        _l("Geschäftlicher Nutzen (1–5)"), choices=SCORE_CHOICES, validate_choice=True
    )
    score_feasibility = ChoiceField(_l("Machbarkeit (1–5)"), choices=SCORE_CHOICES)
    score_strategic = ChoiceField(_l("Strategische Relevanz (1–5)"), choices=SCORE_CHOICES)
    status = ChoiceField(
        _l("Status"), choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items()]
    )
    pilot_started_on = DayField(
        _l("Pilotstart (optional)"),
        validators=[Optional()],
        description=_l(
            "Ohne Angabe beginnt ein Pilot an dem Tag, an dem er auf „Pilot“ gesetzt wird."
        ),
    )
    pilot_weeks = AsciiIntegerField(
        _l("Geplante Dauer des Piloten in Wochen"),
        default=pilots.DEFAULT_WEEKS,
        validators=[
            Optional(),
            NumberRange(1, pilots.MAX_WEEKS, _l("Bitte geben Sie 1 bis %(max)d Wochen an.")),
        ],
    )

    def validate_pilot_started_on(self, field):
        if field.data and field.data > local_today() + timedelta(days=366):
            raise ValidationError(
                _l("Der Pilotstart darf höchstens ein Jahr in der Zukunft liegen.")
            )

    def kpi_numbers(self) -> dict | None:
        """Baseline and target as numbers in one unit (``pilots``); None with errors on the
        fields where they do not parse or where a written unit is not the KPI's."""
        unit = pilots.canonical_unit(self.kpi_unit.data) or pilots.unit_of_kpi(
            self.kpi_name.data or "", self.kpi_baseline.data or ""
        )
        numbers = {}
        for name in ("kpi_baseline", "kpi_target"):
            field = getattr(self, name)
            if field.errors:
                continue
            try:
                value, written = pilots.parse_quantity(field.data or "")
            except pilots.QuantityError:
                field.errors.append(NOT_A_NUMBER)
                continue
            if not pilots.same_unit(written, unit):
                field.errors.append(UNIT_MISMATCH % {"written": written, "unit": unit})
                continue
            numbers[f"{name}_value"] = value
        if len(numbers) < 2:
            return None
        return {**numbers, "kpi_unit": unit}


class MeasurementForm(Form):
    # How many readings the page showed: the same reading sent twice is not stored twice.
    seen = HiddenField()
    measured_on = DayField(
        _l("Gemessen am"),
        validators=[InputRequired(_l("Bitte geben Sie das Datum der Messung an."))],
    )
    value = StringField(
        _l("Messwert"),
        validators=[*_required(_l("Bitte geben Sie den Messwert an.")), Length(max=60)],
        description=_l("Eine Zahl in der Einheit der Kennzahl, z. B. 56 oder 56 Minuten"),
    )
    note = StringField(_l("Notiz (optional)"), validators=[Optional(), Length(max=500)])


class DecisionForm(Form):
    # How many decisions the page showed: the same form sent again (a double click, a reload)
    # does not decide a second time.
    seen = HiddenField()
    decision = ChoiceField(
        _l("Entscheidung"),
        choices=[SelectChoice("", _l("— bitte wählen —"))]
        + [SelectChoice(k, v) for k, v in DECISION_LABELS.items()],
        validators=[DataRequired(_l("Bitte wählen Sie eine Entscheidung."))],
    )
    reason = TextAreaField(
        _l("Begründung"),
        validators=[*_required(_l("Bitte begründen Sie die Entscheidung.")), Length(max=4000)],
    )
    extra_weeks = AsciiIntegerField(
        _l("Verlängerung um Wochen (nur beim Verlängern)"),
        validators=[Optional()],
    )

    def validate(self, extra_validators=None) -> bool:
        # Not an inline validator: Optional() ends the field's chain on an empty value.
        valid = super().validate(extra_validators)
        weeks = self.extra_weeks
        if (
            self.decision.data == "verlaengern"
            and not weeks.errors
            and not (weeks.data and 1 <= weeks.data <= pilots.MAX_EXTRA_WEEKS)
        ):
            weeks.errors = [
                *weeks.errors,
                _l(
                    "Bitte geben Sie an, um wie viele Wochen (1 bis %(max)d) der Pilot verlängert wird.",
                    max=pilots.MAX_EXTRA_WEEKS,
                ),
            ]
            valid = False
        return valid


MEASUREMENT_MESSAGES = {
    ("value", "not_a_number"): NOT_A_NUMBER,
    ("value", "bad_unit"): _l(
        "Bitte schreiben Sie hinter die Zahl nur die Einheit, z. B. 56 Minuten."
    ),
    ("value", "unit_mismatch"): UNIT_MISMATCH,
    ("measured_on", "missing"): _l("Bitte geben Sie das Datum der Messung an."),
    ("measured_on", "future"): _l(
        "Das Datum liegt in der Zukunft. Bitte erfassen Sie nur bereits gemessene Werte."
    ),
    ("measured_on", "before_pilot"): _l("Das Datum liegt vor dem Start des Piloten am %(start)s."),
}
