"""Plain Django forms for the charter and the playbook; the services check the rules, and their
DomainError lands on the field it names."""

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exceed.core.texts import translation_fields
from exceed.org.models import Location, Role, Touchpoint
from exceed.standards.models import CharterAttribute, Situation, SituationCategory

TEXTAREA = forms.Textarea(attrs={"rows": 3})
RECOVERY_STEP_CHOICES = [
    ("", "—"),
    ("acknowledge", _("Acknowledge")),
    ("apologise", _("Apologise")),
    ("fix", _("Fix")),
    ("gesture", _("Gesture")),
    ("follow_up", _("Follow up")),
]


def _owners():
    return User.objects.filter(is_active=True).filter(Q(membership__role=Role.OWNER) | Q(is_superuser=True))


class PlaybookSearchForm(forms.Form):
    q = forms.CharField(label=_("What do we do when…"), required=False, max_length=200)
    touchpoint = forms.ModelChoiceField(
        label=_("Touchpoint"), queryset=Touchpoint.objects.all(), required=False, empty_label=_("Every touchpoint")
    )


class CharterForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    review_on = forms.DateField(label=_("Review date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(translation_fields("statement", _("Statement"), widget=TEXTAREA))
        self.fields["owner"].queryset = _owners()


class AttributeForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(translation_fields("name", _("Name"), max_length=120))
        self.fields.update(translation_fields("description", _("Description"), widget=TEXTAREA))
        self.fields.update(translation_fields("behaviours", _("Behaviours that show it (one a line)"), widget=TEXTAREA))


class SituationForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    category = forms.ChoiceField(label=_("Category"), choices=SituationCategory.choices)
    recovery_step = forms.ChoiceField(
        label=_("Recovery step it documents (service failures only)"), choices=RECOVERY_STEP_CHOICES, required=False
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(translation_fields("name", _("Name"), max_length=120))
        self.fields.update(translation_fields("description", _("Description"), widget=TEXTAREA))


class EntryForm(forms.Form):
    situation = forms.ModelChoiceField(label=_("Situation"), queryset=Situation.objects.all())
    touchpoint = forms.ModelChoiceField(
        label=_("Touchpoint"), queryset=Touchpoint.objects.all(), required=False, empty_label=_("Every touchpoint")
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    review_on = forms.DateField(label=_("Review date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    attributes = forms.ModelMultipleChoiceField(
        label=_("Charter attributes it shows"),
        queryset=CharterAttribute.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    job_roles = forms.CharField(
        label=_("Applies to job roles (comma-separated; empty: everyone)"), required=False, max_length=500
    )
    locations = forms.ModelMultipleChoiceField(
        label=_("Applies to locations (none chosen: every location)"),
        queryset=Location.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owners()
        self.fields.update(translation_fields("steps", _("Steps (one a line)"), widget=TEXTAREA))
        self.fields.update(translation_fields("words_to_use", _("Words to use (one a line)"), widget=TEXTAREA))
        self.fields.update(translation_fields("words_to_avoid", _("Words to avoid (one a line)"), widget=TEXTAREA))
        self.fields.update(translation_fields("authority", _("What the employee may decide alone"), widget=TEXTAREA))
        if editing:
            # Situation and touchpoint name the entry; a different pair is a different entry.
            del self.fields["situation"]
            del self.fields["touchpoint"]

    def clean_job_roles(self) -> list[str]:
        return [role.strip() for role in self.cleaned_data["job_roles"].split(",") if role.strip()]


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("What changed (required from the second version on)"), required=False, widget=TEXTAREA
    )


class RemindForm(forms.Form):
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none(), empty_label=None)

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations


class EntryImportForm(forms.Form):
    file = forms.FileField(label=_("Playbook file (JSON)"))
