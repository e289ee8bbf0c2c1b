"""Turning a survey slug a client sends into its survey, with an error that names the field."""

from django.utils.translation import gettext as _

from exceed.core.lookups import row_by_key
from exceed.errors import DomainError
from exceed.feedback.models import Survey


def survey_by_slug(slug: str, *, field: str = "survey") -> Survey:
    survey = row_by_key(Survey, "slug", slug)
    if survey is None:
        raise DomainError(_("Unknown survey: %(slug)s") % {"slug": slug}, field=field)
    return survey
