"""The owner's programme form: the rhythm, visit windows per weekday (store time), rules and reward."""

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from exceed.core.texts import LANGUAGE_CHOICES, LANGUAGE_CODES, translated, translation_fields, translations_from
from exceed.mystery.models import CriticalRule, ItemKind, Programme, Rhythm, Scorecard
from exceed.org.models import Location, Touchpoint
from exceed.standards.models import CharterAttribute, PlaybookEntry

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

    def clean(self):
        """An existing scorecard must speak its stores' languages: a shopper there reads it in them."""
        from exceed.mystery.selectors import scorecard_missing_texts

        data = super().clean()
        chosen, locations = data.get("scorecard"), data.get("locations")
        if chosen and chosen != TEMPLATE_CHOICE and locations:
            card = Scorecard.objects.filter(pk=chosen).first()
            languages = sorted({location.default_language for location in locations})
            missing = (
                [code for code, count in scorecard_missing_texts(card, languages).items() if count] if card else []
            )
            if missing:
                names = ", ".join(str(name) for code, name in LANGUAGE_CHOICES if code in missing)
                self.add_error(
                    "scorecard",
                    _(
                        "The scorecard has texts missing in %(languages)s, a language of these stores: translate it first."
                    )
                    % {"languages": names},
                )
        return data

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


# --- The scorecard builder (issue 10 §2) -------------------------------------------------------

START_BLANK = "blank"


class ScorecardNewForm(forms.Form):
    """A new scorecard: blank, the method's template, or a copy of one the owner already has."""

    start = forms.ChoiceField(label=_("Start from"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(translation_fields("name", _("Name"), max_length=200))
        self.fields["start"].choices = [
            (START_BLANK, _("A blank scorecard")),
            (TEMPLATE_CHOICE, _("The method's template")),
        ] + [(str(card.pk), _("A copy of %(name)s") % {"name": card}) for card in Scorecard.objects.all()]

    def name_fields(self):
        return [self[f"name_{code}"] for code in LANGUAGE_CODES]

    def clean(self):
        data = super().clean()
        if not translations_from(data, "name") and data.get("start") == START_BLANK:
            self.add_error("name_en", _("Please give the scorecard a name."))
        return data


class ScorecardSettingsForm(forms.Form):
    critical_rule = forms.ChoiceField(label=_("Critical items"), choices=CriticalRule.choices)
    critical_cap = forms.IntegerField(
        label=_("Score cap after a failed critical item"), min_value=0, max_value=100, initial=50
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(translation_fields("name", _("Name"), max_length=200))

    def name_fields(self):
        return [self[f"name_{code}"] for code in LANGUAGE_CODES]


class SectionForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(translation_fields("title", _("Title"), max_length=200))

    def title_fields(self):
        return [self[f"title_{code}"] for code in LANGUAGE_CODES]

    def clean(self):
        data = super().clean()
        if not translations_from(data, "title"):
            self.add_error("title_en", _("Please give the section a title."))
        return data


class ItemForm(forms.Form):
    """An item with its texts in the five languages side by side, its options with points (choice)
    and its thresholds (numeric: "up to 30 s earns 1 point"), in plain rows: no script needed."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    weight = forms.DecimalField(label=_("Weight"), max_digits=5, decimal_places=2, initial=1)
    na_allowed = forms.BooleanField(label=_("Not applicable allowed"), required=False)
    critical = forms.BooleanField(label=_("Critical"), required=False)
    bonus = forms.BooleanField(label=_("Bonus"), required=False)
    charter_attribute = forms.ModelChoiceField(
        label=_("Charter attribute"), queryset=CharterAttribute.objects.none(), required=False
    )
    playbook_entry = forms.ModelChoiceField(
        label=_("Playbook entry"), queryset=PlaybookEntry.objects.none(), required=False
    )

    def __init__(self, *args, rows: int = 4, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.fields["charter_attribute"].queryset = CharterAttribute.objects.all()
        self.fields["playbook_entry"].queryset = PlaybookEntry.objects.select_related("situation", "touchpoint")
        language = get_language() or "en"
        self.fields["charter_attribute"].label_from_instance = lambda a: translated(a.name, language) or a.code
        self.fields["playbook_entry"].label_from_instance = lambda e: " · ".join(
            filter(None, [translated(e.situation.name, language), e.touchpoint and str(e.touchpoint)])
        )
        self.fields.update(translation_fields("text", _("Question"), widget=forms.Textarea(attrs={"rows": 2})))
        self.fields.update(translation_fields("help", _("What to observe"), widget=forms.Textarea(attrs={"rows": 2})))
        for row in range(rows):
            number = {"n": row + 1}
            self.fields[f"option{row}_points"] = forms.DecimalField(
                label=_("Points of option %(n)s") % number, required=False, min_value=0, max_digits=6, decimal_places=2
            )
            for code, name in LANGUAGE_CHOICES:
                self.fields[f"option{row}_label_{code}"] = forms.CharField(
                    label=f"{_('Option %(n)s') % number} ({name})", required=False, max_length=200
                )
            self.fields[f"threshold{row}_bound"] = forms.DecimalField(
                label=_("Up to (threshold %(n)s)") % number, required=False, min_value=0, max_digits=9, decimal_places=2
            )
            self.fields[f"threshold{row}_points"] = forms.DecimalField(
                label=_("Points (threshold %(n)s)") % number,
                required=False,
                min_value=0,
                max_digits=6,
                decimal_places=2,
            )

    def text_fields(self):
        return [self[f"text_{code}"] for code in LANGUAGE_CODES]

    def help_fields(self):
        return [self[f"help_{code}"] for code in LANGUAGE_CODES]

    def option_rows(self):
        return [
            (self[f"option{row}_points"], [self[f"option{row}_label_{code}"] for code in LANGUAGE_CODES])
            for row in range(self.rows)
        ]

    def threshold_rows(self):
        return [(self[f"threshold{row}_bound"], self[f"threshold{row}_points"]) for row in range(self.rows)]

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight is not None and weight <= 0:
            raise forms.ValidationError(_("The weight must be more than 0."))
        return weight

    def clean(self):
        data = super().clean()
        if not translations_from(data, "text"):
            self.add_error("text_en", _("Please give the item a question."))
        self.options, self.thresholds = [], []
        for row in range(self.rows):
            label = translations_from(data, f"option{row}_label")
            points = data.get(f"option{row}_points")
            if label and points is None and f"option{row}_points" not in self.errors:
                self.add_error(f"option{row}_points", _("Give this option its points."))
            elif points is not None and not label:
                self.add_error(f"option{row}_label_en", _("Give this option a text."))
            elif label:
                self.options.append({"label": label, "points": float(points)})
            bound, earned = data.get(f"threshold{row}_bound"), data.get(f"threshold{row}_points")
            if (
                (bound is None) != (earned is None)
                and not self.has_error(f"threshold{row}_bound")
                and not self.has_error(f"threshold{row}_points")
            ):
                self.add_error(f"threshold{row}_bound", _("Give both the limit and its points, or neither."))
            elif bound is not None and earned is not None:
                self.thresholds.append([float(bound), float(earned)])
        return data
