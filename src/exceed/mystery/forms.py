"""The owner's programme form: the rhythm, visit windows per weekday (store time), rules and reward."""

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from exceed.mystery.models import Programme, Rhythm, Scorecard
from exceed.org.models import Location, Touchpoint

TEMPLATE_CHOICE = "template"


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    touchpoint = forms.ModelChoiceField(label=_("Touchpoint"), queryset=Touchpoint.objects.all())
    scorecard = forms.ChoiceField(label=_("Scorecard"))
    rhythm = forms.ChoiceField(label=_("Rhythm"), choices=Rhythm.choices)
    interval_days = forms.IntegerField(label=_("Every how many days"), required=False, min_value=1, max_value=366)
    lockout_days = forms.IntegerField(
        label=_("Days before a shopper may shop the same store again"), initial=60, min_value=0, max_value=3650
    )
    claims_per_period = forms.IntegerField(
        label=_("Shops a shopper may claim per period"), initial=2, min_value=1, max_value=100
    )
    reward_amount = forms.DecimalField(label=_("Reward"), initial=20, min_value=0, max_digits=8, decimal_places=2)
    reward_currency = forms.CharField(label=_("Currency"), initial="EUR", max_length=3)
    expense_cap = forms.DecimalField(
        label=_("Purchases refunded up to"), initial=15, min_value=0, max_digits=8, decimal_places=2
    )
    min_shops_ranked = forms.IntegerField(
        label=_("Shops before a location is ranked"), initial=3, min_value=1, max_value=100
    )
    case_threshold = forms.IntegerField(
        label=_("Score that opens a corrective case"), required=False, min_value=0, max_value=100
    )
    evidence_days = forms.IntegerField(label=_("Days evidence is kept"), initial=60, min_value=60, max_value=3650)
    locations = forms.ModelMultipleChoiceField(
        label=_("Locations"), queryset=Location.objects.filter(active=True), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scorecard"].choices = [(TEMPLATE_CHOICE, _("New, from the template"))] + [
            (str(card.pk), str(card)) for card in Scorecard.objects.all()
        ]
        for day, name in WEEKDAYS.items():
            for prefix, word, low, high in (("start", _("from"), 0, 23), ("end", _("until"), 1, 24)):
                label = f"{name}: {word}"
                self.fields[f"{prefix}_{day}"] = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=low,
                    max_value=high,
                    widget=forms.NumberInput(attrs={"aria-label": label}),
                )

    def weekday_rows(self):
        return [(name, self[f"start_{day}"], self[f"end_{day}"]) for day, name in WEEKDAYS.items()]

    def windows(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"weekday": day, "start": data[f"start_{day}"], "end": data[f"end_{day}"]}
            for day in WEEKDAYS
            if data.get(f"start_{day}") is not None and data.get(f"end_{day}") is not None
        ]


class ResultsForm(forms.Form):
    """Which programme and which visits the results cover; blank dates: all of them."""

    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none(), required=False)
    since = forms.DateField(label=_("Visits from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Visits until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes if programmes is not None else Programme.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end comes before the start."))
        return data
