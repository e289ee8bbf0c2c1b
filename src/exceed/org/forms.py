"""Forms for the logins, API-token and organisation pages. Choices offered are the acting login's to give; the
services check again, so a forged post gets the same refusal as the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from exceed.core.texts import model_form_with_translations
from exceed.org.models import LANGUAGE_CHOICES, Location, Person, Region, Role, Touchpoint
from exceed.org.scopes import Scope, locations_in_scope
from exceed.org.selectors import people_visible


def _roles_for(scope: Scope) -> list[tuple[str, str]]:
    if scope.is_owner:
        return list(Role.choices)
    return [
        (value, label)
        for value, label in Role.choices
        if value in (Role.REGIONAL_MANAGER, Role.LOCATION_MANAGER, Role.ASSOCIATE)
    ]


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"))
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("For a regional manager."),
        widget=forms.CheckboxSelectMultiple,
    )
    locations = forms.ModelMultipleChoiceField(
        label=_("Locations"),
        queryset=Location.objects.none(),
        required=False,
        help_text=_("For a location manager."),
        widget=forms.CheckboxSelectMultiple,
    )
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("The employee this login belongs to; required for an associate."),
    )
    language = forms.ChoiceField(
        label=_("Language of this login's emails"),
        choices=LANGUAGE_CHOICES,
        required=False,
        help_text=_(
            "The invitation, case alerts and overdue digests are written in it. Left empty: the language of the store each email is about."
        ),
    )

    def __init__(self, *args, scope: Scope, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _roles_for(scope)
        self.fields["language"].choices = [("", "—"), *LANGUAGE_CHOICES]
        regions = Region.objects.all()
        if not scope.is_owner:
            regions = regions.filter(pk__in=scope.region_ids or ())
        self.fields["regions"].queryset = regions
        self.fields["locations"].queryset = (
            locations_in_scope(scope).select_related("region").order_by("region__name", "name")
        )
        people = people_visible(scope).filter(active=True)
        # People without a login, and the one this login already is.
        self.fields["person"].queryset = (
            people.filter(user__isnull=True) | people.filter(user=user) if user else people.filter(user__isnull=True)
        )
        if user is not None:
            # The username is the login's identity for its history; it is not renamed here.
            del self.fields["username"]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("Where the token is used, e.g. “Till 3, Copenhagen”.")
    )


# --- The organisation's pages: regions, stores, people, touchpoints -----------------------------


def _time_zones() -> list[tuple[str, str]]:
    import zoneinfo

    return [(zone, zone) for zone in sorted(zoneinfo.available_timezones())]


class RegionForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=32, help_text=_("Letters, digits, - and _; used in imports and the API.")
    )
    name = forms.CharField(label=_("Name"), max_length=120)

    def __init__(self, *args, region: Region | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if region is not None:
            # The code is how files and the API name a region; it does not change.
            del self.fields["code"]


class LocationForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=32, help_text=_("Letters, digits, - and _; used in imports and the API.")
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    timezone = forms.ChoiceField(label=_("Time zone"))
    default_language = forms.ChoiceField(
        label=_("Default language"), choices=LANGUAGE_CHOICES, help_text=_("The language customers are asked in first.")
    )
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    latitude = forms.FloatField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, help_text=_("Optional, e.g. 55.6761.")
    )
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, help_text=_("Optional, e.g. 12.5683.")
    )
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("A closed store is deactivated, never deleted: its history stays."),
    )

    def __init__(self, *args, scope: Scope, location: Location | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.all()
        if not scope.is_owner:
            regions = regions.filter(pk__in=scope.region_ids or ())
        self.fields["region"].queryset = regions
        self.fields["timezone"].choices = _time_zones()
        if location is None:
            del self.fields["active"]
        else:
            del self.fields["code"]

    def clean_code(self):
        # The pages' own addresses under stores/ are not store codes.
        if self.cleaned_data["code"] in ("new", "import"):
            raise forms.ValidationError(_("This code is reserved; choose another."))
        return self.cleaned_data["code"]


TouchpointForm = model_form_with_translations(
    Touchpoint, fields=["code", "name", "position"], prefix="names", label=_("Name"), max_length=80
)


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    locations = forms.ModelMultipleChoiceField(
        label=_("Home stores"),
        queryset=Location.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one store.")},
    )
    job_role = forms.CharField(label=_("Job role"), max_length=80, required=False)
    external_ref = forms.CharField(label=_("Employee number"), max_length=64, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    active = forms.BooleanField(
        label=_("Active"), required=False, help_text=_("Someone who left is deactivated: their history stays.")
    )

    def __init__(self, *args, scope: Scope, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locations"].queryset = (
            locations_in_scope(scope).filter(active=True).select_related("region").order_by("region__name", "name")
        )
        if person is None:
            del self.fields["active"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"), help_text=_("UTF-8; commas or semicolons; the first line names the columns.")
    )
