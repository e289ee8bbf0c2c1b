from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exceed.core.texts import translation_fields
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


class SurveyForm(forms.Form):
    active = forms.BooleanField(label=_("Active"), required=False)
    in_measures = forms.BooleanField(
        label=_("Counts in the measures"),
        required=False,
        help_text=_("Count its answers in the return score, expectation index and CSAT of the dashboard."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(translation_fields("title", _("Title")))
        self.fields.update(translation_fields("intro", _("Introduction"), widget=forms.Textarea(attrs={"rows": 2})))
        self.fields.update(translation_fields("thanks", _("Thank-you text")))

    def translations(self, prefix: str) -> dict:
        return {code: self.cleaned_data.get(f"{prefix}_{code}", "") for code, _name in LANGUAGE_CHOICES}


class QuestionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=64)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    required = forms.BooleanField(label=_("Required"), required=False)
    choices = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One option per line: code | English | Dansk | Français | Eesti | Suomi"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(translation_fields("text", _("Question")))

    def translations(self) -> dict:
        return {code: self.cleaned_data.get(f"text_{code}", "") for code, _name in LANGUAGE_CHOICES}

    def parsed_choices(self) -> list[tuple[str, dict]] | None:
        lines = [line for line in self.cleaned_data.get("choices", "").splitlines() if line.strip()]
        if not lines:
            return None
        parsed = []
        for line in lines:
            parts = [part.strip() for part in line.split("|")]
            labels = dict(zip([code for code, _name in LANGUAGE_CHOICES], parts[1:]))
            parsed.append((parts[0], labels or {"en": parts[0]}))
        return parsed


class SurveyImportForm(forms.Form):
    file = forms.FileField(label=_("Survey file (JSON)"))
    slug = forms.SlugField(
        label=_("Import under the code"), required=False, help_text=_("Leave empty to keep the file's code.")
    )
