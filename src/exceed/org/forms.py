"""Forms for the logins and API-token pages. Choices offered are the acting login's to give; the
services check again, so a forged post gets the same refusal as the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from exceed.org.models import LANGUAGE_CHOICES, Location, Person, Region, Role
from exceed.org.scopes import Scope, locations_in_scope
from exceed.org.selectors import people_visible


def _roles_for(scope: Scope) -> list[tuple[str, str]]:
    if scope.is_owner:
        return list(Role.choices)
    return [(value, label) for value, label in Role.choices if value in (Role.REGIONAL_MANAGER, Role.LOCATION_MANAGER, Role.ASSOCIATE)]


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"))
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"), queryset=Region.objects.none(), required=False,
        help_text=_("For a regional manager."), widget=forms.CheckboxSelectMultiple,
    )
    locations = forms.ModelMultipleChoiceField(
        label=_("Locations"), queryset=Location.objects.none(), required=False,
        help_text=_("For a location manager."), widget=forms.CheckboxSelectMultiple,
    )
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), required=False,
        help_text=_("The employee this login belongs to; required for an associate."),
    )
    language = forms.ChoiceField(
        label=_("Language of this login's emails"), choices=LANGUAGE_CHOICES, required=False,
        help_text=_("The invitation, case alerts and overdue digests are written in it. Left empty: the language of the store each email is about."),
    )

    def __init__(self, *args, scope: Scope, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _roles_for(scope)
        self.fields["language"].choices = [("", "—"), *LANGUAGE_CHOICES]
        regions = Region.objects.all()
        if not scope.is_owner:
            regions = regions.filter(pk__in=scope.region_ids or ())
        self.fields["regions"].queryset = regions
        self.fields["locations"].queryset = locations_in_scope(scope).select_related("region").order_by("region__name", "name")
        people = people_visible(scope).filter(active=True)
        # People without a login, and the one this login already is.
        self.fields["person"].queryset = people.filter(user__isnull=True) | people.filter(user=user) if user else people.filter(user__isnull=True)
        if user is not None:
            # The username is the login's identity for its history; it is not renamed here.
            del self.fields["username"]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("Where the token is used, e.g. “Till 3, Copenhagen”."))
