"""The organisation: regions, locations, touchpoints, people and who may see what."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

# Re-exported: the organisation's pages and imports name the languages from here; core.texts is their home.
from exceed.core.texts import LANGUAGE_CHOICES as LANGUAGE_CHOICES
from exceed.core.texts import LANGUAGE_CODES as LANGUAGE_CODES


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Region(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(Region, models.PROTECT, related_name="locations", verbose_name=_("region"))
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_timezone])
    default_language = models.CharField(_("default language"), max_length=5, choices=LANGUAGE_CHOICES, default="en")
    address = models.TextField(_("address"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    # Where the store is, for mystery shoppers' "shops near me" (WGS 84 degrees); optional.
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Touchpoint(models.Model):
    """Where the customer meets the business: in-store, phone, email, web, … (docs/DOMAIN.md §2)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=80)
    # The owner's own translations of the name (core.texts); where one is missing, the name
    # reads as typed, or from the catalogue for the default touchpoints.
    names = models.JSONField(_("translated names"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")

    def __str__(self) -> str:
        # The owner's translation first; else the default touchpoints' English names are in the
        # translation catalogue (migration 0002 marks them); a name typed in comes back as typed.
        return (self.names or {}).get(get_language() or "en") or gettext(self.name)


class Person(models.Model):
    """An employee. Feedback, rankings and role-play attach to people, not to logins."""

    external_ref = models.CharField(_("employee number"), max_length=64, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"), blank=True)
    job_role = models.CharField(_("job role"), max_length=80, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="person", verbose_name=_("login")
    )
    locations = models.ManyToManyField(Location, related_name="people", verbose_name=_("home locations"))
    active = models.BooleanField(_("active"), default=True)
    # A name on a public survey page ("Who served you?") only with the person's agreement (GDPR,
    # issue 7, item 3): off for someone new; migration org 0004 turned it on for the people who were
    # already there (and shown), so existing stores keep their staff question.
    shown_to_customers = models.BooleanField(
        _("name shown to customers"),
        default=False,
        help_text=_("The person agreed that their name is listed on the public survey pages."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    REGIONAL_MANAGER = "regional_manager", _("Regional manager")
    LOCATION_MANAGER = "location_manager", _("Location manager")
    ASSOCIATE = "associate", _("Associate")
    MYSTERY_SHOPPER = "mystery_shopper", _("Mystery shopper")


class Membership(models.Model):
    """A login's role and the part of the organisation it covers (docs/DESIGN.md, "Who sees what")."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="membership")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    regions = models.ManyToManyField(Region, blank=True, verbose_name=_("regions"))
    locations = models.ManyToManyField(Location, blank=True, verbose_name=_("locations"))
    # The language this login's emails are written in; blank: its store's (recovery.mail).
    language = models.CharField(_("preferred language"), max_length=5, choices=LANGUAGE_CHOICES, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
