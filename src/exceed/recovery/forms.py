"""Plain Django forms; the services check the rules and their DomainError lands on the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from exceed.bounds import BoundedDateField, clean_period
from exceed.core.texts import model_form_with_translations
from exceed.feedback.selectors import surveys_for_customers
from exceed.org.models import LANGUAGE_CHOICES, Location, Person, Touchpoint
from exceed.recovery.models import CaseCategory, CaseSource, CaseStatus, Severity, StepKind

STAFF_SOURCES = [(value, label) for value, label in CaseSource.choices if value in ("staff", "phone", "email")]


class CaptureForm(forms.Form):
    """The quick capture: location and touchpoint come back from the session, then a tap and a line."""

    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none(), empty_label=None)
    touchpoint = forms.ModelChoiceField(label=_("Touchpoint"), queryset=Touchpoint.objects.all(), required=False)
    category = forms.ModelChoiceField(
        label=_("What went wrong?"),
        queryset=CaseCategory.objects.filter(active=True),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    summary = forms.CharField(
        label=_("In one line"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "enterkeyhint": "send"}),
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.MEDIUM)
    source = forms.ChoiceField(label=_("Source"), choices=STAFF_SOURCES, initial=CaseSource.STAFF)
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.BooleanField(label=_("The customer agrees to be contacted"), required=False)
    contact_name = forms.CharField(label=_("Customer name"), max_length=120, required=False)
    contact_email = forms.CharField(label=_("Customer email"), max_length=254, required=False)
    contact_phone = forms.CharField(label=_("Customer phone"), max_length=40, required=False)
    language = forms.ChoiceField(label=_("Customer language"), choices=[("", "—")] + LANGUAGE_CHOICES, required=False)
    customer_ref = forms.CharField(
        label=_("Customer reference (loyalty card, account)"), max_length=120, required=False
    )

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations


class StepForm(forms.Form):
    done_by = forms.ModelChoiceField(label=_("Done by"), queryset=Person.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    gesture_given = forms.CharField(label=_("What was given"), max_length=200, required=False)
    gesture_value = forms.CharField(label=_("Value"), max_length=20, required=False)

    def __init__(self, *args, location, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_by"].queryset = Person.objects.filter(locations=location, active=True)


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (required if steps are missing or the case was reopened)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CaseFilterForm(forms.Form):
    # Every empty choice says what it shows ("All locations"), not a bare dash (issue 8, item 4).
    text = forms.CharField(
        label=_("Search"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Case number or words of what happened"), "type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses"))] + CaseStatus.choices, required=False
    )
    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.none(), required=False, empty_label=_("All locations")
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=CaseCategory.objects.all(), required=False, empty_label=_("All categories")
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("My cases only"), required=False)
    date_from = BoundedDateField(label=_("Opened from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = BoundedDateField(label=_("Opened until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations

    def clean(self):
        cleaned = super().clean()
        clean_period(self)
        return cleaned


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Give the case to"), queryset=Person.objects.none(), empty_label=_("Choose a colleague")
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class RuleForm(forms.Form):
    expectation_below = forms.BooleanField(label=_("Expectation below"), required=False)
    # No min/max here: the service explains an impossible threshold in words.
    return_at_most = forms.IntegerField(label=_("Return likelihood at most (0–9)"), required=False)
    csat_at_most = forms.IntegerField(label=_("Satisfaction at most (1–4)"), required=False)
    survey = forms.ModelChoiceField(
        label=_("Survey"), queryset=surveys_for_customers(), required=False, empty_label=_("All surveys")
    )
    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.all(), required=False, empty_label=_("All locations")
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=CaseCategory.objects.filter(active=True), required=False
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.MEDIUM)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class SettingsForm(forms.Form):
    followup_delay_hours = forms.IntegerField(label=_("Send the follow-up survey this many hours after closing"))
    loyalty_window_days = forms.IntegerField(label=_("Count a return within this many days as a loyal conversion"))
    digest_minutes = forms.IntegerField(
        label=_("Send overdue steps to the escalation level as one digest every this many minutes")
    )


# The owner's categories: the name in five languages side by side, as touchpoints have them.
CategoryForm = model_form_with_translations(
    CaseCategory, fields=["code", "name", "position", "active"], prefix="names", label=_("Name"), max_length=80
)


class DeadlineForm(forms.Form):
    """One step deadline; an empty category or severity means "any"."""

    category = forms.ModelChoiceField(
        label=_("Category"), queryset=CaseCategory.objects.all(), required=False, empty_label=_("All categories")
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", _("All severities")), *Severity.choices], required=False
    )
    step = forms.ChoiceField(label=_("Step"), choices=StepKind.choices)
    # No min/max here: the service names the bounds in words.
    hours = forms.IntegerField(label=_("Due this many hours after opening"))
