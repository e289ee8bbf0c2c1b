import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exceed.feedback.models import ChannelKind, QuestionKind, Survey
from exceed.org.models import LANGUAGE_CHOICES, Person, Touchpoint


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(ChannelKind.LINK, ChannelKind.LINK.label), (ChannelKind.KIOSK, ChannelKind.KIOSK.label)],
    )
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    survey = forms.ModelChoiceField(label=_("Survey"), queryset=Survey.objects.filter(active=True))
    location = forms.ModelChoiceField(label=_("Location"), queryset=None)
    touchpoint = forms.ModelChoiceField(label=_("Touchpoint"), queryset=Touchpoint.objects.all(), required=False)
    person = forms.ModelChoiceField(label=_("Person (optional)"), queryset=None, required=False)

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        self.fields["person"].queryset = Person.objects.filter(locations__in=locations, active=True).distinct()


class ChannelEditForm(forms.Form):
    """A link's or kiosk's name, and whom its answers are credited to; its store stays."""

    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    touchpoint = forms.ModelChoiceField(label=_("Touchpoint"), queryset=Touchpoint.objects.all(), required=False)
    person = forms.ModelChoiceField(label=_("Person (optional)"), queryset=None, required=False)

    def __init__(self, *args, location, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(locations=location, active=True).order_by("name")


class InvitationSendForm(forms.Form):
    """The back office's send form: addresses from a CSV file or pasted, and when to send them."""

    survey = forms.ModelChoiceField(label=_("Survey"), queryset=Survey.objects.filter(active=True))
    location = forms.ModelChoiceField(label=_("Location"), queryset=None)
    touchpoint = forms.ModelChoiceField(label=_("Touchpoint"), queryset=Touchpoint.objects.all(), required=False)
    person = forms.ModelChoiceField(label=_("Person (optional)"), queryset=None, required=False)
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_("A column email; optional columns language, transaction_ref, touchpoint and person."),
    )
    addresses = forms.CharField(
        label=_("Or paste addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One address per line, optionally followed by a comma and a language code: ana@example.com, fr"),
    )
    send_at = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Leave empty to send now. The time is the store's."),
    )
    reminder_days = forms.IntegerField(
        label=_("Remind after (days)"),
        required=False,
        min_value=1,
        max_value=60,
        help_text=_("One reminder to those who have not answered. Leave empty for none."),
    )

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        self.fields["person"].queryset = Person.objects.filter(locations__in=locations, active=True).distinct()

    def clean(self):
        data = super().clean()
        location, send_at = data.get("location"), data.get("send_at")
        if location is not None and send_at is not None:
            # The browser sends the store's wall-clock time; Django read it in the server's zone.
            data["send_at"] = timezone.make_naive(send_at).replace(tzinfo=location.zone)
        return data


def _language_name(code: str) -> str:
    return dict(LANGUAGE_CHOICES)[code]


class SurveyCreateForm(forms.Form):
    title = forms.CharField(label=_("Name"), max_length=200, help_text=_("As respondents will see it."))
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Respondents choose among these; every text must be given in each before publishing."),
    )
    default_language = forms.ChoiceField(
        label=_("Language of the name"), choices=LANGUAGE_CHOICES, help_text=_("Also shown when a text is missing.")
    )
    slug = forms.SlugField(label=_("Code"), max_length=64, required=False, help_text=_("Leave empty to make one."))


class SurveySettingsForm(forms.Form):
    languages = SurveyCreateForm.base_fields["languages"]
    default_language = forms.ChoiceField(label=_("Default language"), choices=LANGUAGE_CHOICES)
    in_measures = forms.BooleanField(
        label=_("Counts in the measures"),
        required=False,
        help_text=_("Count its answers in the return score, expectation index and CSAT of the dashboard."),
    )


class QuestionForm(forms.Form):
    """A question's code, kind and its texts in the languages the survey offers, side by side."""

    code = forms.SlugField(
        label=_("Code"), max_length=64, required=False, help_text=_("Leave empty to make one from the kind.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    required = forms.BooleanField(label=_("Required"), required=False)

    def __init__(self, *args, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = languages
        for code in languages:
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Question (%(language)s)") % {"language": _language_name(code)},
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for code in languages:
            self.fields[f"help_{code}"] = forms.CharField(
                label=_("Help text (%(language)s)") % {"language": _language_name(code)}, required=False, max_length=500
            )
        for prefix, label in (("low", _("Low end (%(language)s)")), ("high", _("High end (%(language)s)"))):
            for code in languages:
                self.fields[f"{prefix}_{code}"] = forms.CharField(
                    label=label % {"language": _language_name(code)}, required=False, max_length=120
                )

    def text_fields(self):
        return [self[f"text_{code}"] for code in self.languages]

    def help_fields(self):
        return [self[f"help_{code}"] for code in self.languages]

    def low_fields(self):
        return [self[f"low_{code}"] for code in self.languages]

    def high_fields(self):
        return [self[f"high_{code}"] for code in self.languages]

    def translations(self, prefix: str, stored: dict) -> dict:
        """The stored texts with the offered languages replaced by what was typed (a field not
        posted at all, as from a script that sends only the question, leaves its text as it was)."""
        typed = {
            code: self.cleaned_data.get(f"{prefix}_{code}", "")
            for code in self.languages
            if self.add_prefix(f"{prefix}_{code}") in self.data
        }
        return {**stored, **typed}


class ChoiceForm(forms.Form):
    """One option: its code and its text in each offered language."""

    code = forms.CharField(label=_("Code"), max_length=64, required=False)

    def __init__(self, *args, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = languages
        for code in languages:
            self.fields[f"label_{code}"] = forms.CharField(
                label=_("Text (%(language)s)") % {"language": _language_name(code)}, required=False, max_length=200
            )

    def label_fields(self):
        return [self[f"label_{code}"] for code in self.languages]

    def clean(self):
        data = super().clean()
        code = (data.get("code") or "").strip()
        texts = [data.get(f"label_{language}", "").strip() for language in self.languages]
        if code and not re.fullmatch(r"[-a-zA-Z0-9_]{1,64}", code):
            self.add_error("code", _("Use only letters, digits, - and _."))
        elif any(texts) and not code:
            self.add_error("code", _("Give this option a code."))
        elif code and not any(texts) and not data.get("DELETE"):
            self.add_error(f"label_{self.languages[0]}", _("Give this option a text in at least one language."))
        data["code"] = code
        return data


class BaseChoiceFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        codes = [code for code, _label in self.choices()]
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            raise forms.ValidationError(
                _('Two options have the code "%(code)s": each needs its own.') % {"code": repeated[0]}
            )

    def choices(self, stored: dict | None = None) -> list[tuple[str, dict]]:
        """(code, labels) of the rows kept, in order; ``stored`` labels keep languages not offered."""
        stored = stored or {}
        kept = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("code") or data.get("DELETE"):
                continue
            labels = {code: data.get(f"label_{code}", "") for code in form.languages}
            kept.append((data["code"], {**stored.get(data["code"], {}), **labels}))
        return kept


ChoiceFormSet = forms.formset_factory(ChoiceForm, formset=BaseChoiceFormSet, extra=3, can_delete=True)


class SurveyTranslationsForm(forms.Form):
    """Every text of a survey, one field per offered language: the side-by-side translations."""

    def __init__(self, *args, texts, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = languages
        self.rows = []
        for text in texts:
            row = []
            for code in languages:
                name = f"t_{text.key}_{code}"
                self.fields[name] = forms.CharField(
                    label=f"{text.label} ({_language_name(code)})",
                    required=False,
                    max_length=2000,
                    initial=text.texts.get(code, ""),
                    widget=forms.Textarea(attrs={"rows": 2, "lang": code}),
                )
                row.append(self[name])
            self.rows.append((text, row))

    def texts(self) -> dict[str, dict]:
        found: dict[str, dict] = {}
        for name, value in self.cleaned_data.items():
            key, code = name[2:].rsplit("_", 1)
            found.setdefault(key, {})[code] = value
        return found


class SurveyImportForm(forms.Form):
    file = forms.FileField(label=_("Survey file (JSON)"))
    slug = forms.SlugField(
        label=_("Import under the code"), required=False, help_text=_("Leave empty to keep the file's code.")
    )
