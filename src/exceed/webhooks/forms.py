from django import forms
from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "response.stored": _("A response is stored"),
    "case.opened": _("A case is opened"),
    "step.overdue": _("A step is overdue"),
    "case.closed": _("A case is closed"),
}


class SubscriptionForm(forms.Form):
    url = forms.CharField(label=_("Address (URL)"), max_length=500)
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=list(EVENT_LABELS.items()), widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=_("description"), max_length=200, required=False)
