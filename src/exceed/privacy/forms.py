from django import forms
from django.utils.translation import gettext_lazy as _

from exceed.errors import DomainError
from exceed.privacy.identifiers import CustomerIdentifier, customer_identifier
from exceed.privacy.retention import RETENTION_KINDS
from exceed.privacy.services import MAX_RETENTION_DAYS


class CustomerForm(forms.Form):
    """The customer a request is about; the checks are ``customer_identifier``'s, shared with the API."""

    email = forms.CharField(label=_("Customer's email"), max_length=254, required=False)
    phone = forms.CharField(label=_("Customer's phone"), max_length=40, required=False)

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["identifier"] = customer_identifier(email=cleaned.get("email"), phone=cleaned.get("phone"))
        except DomainError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return cleaned

    @property
    def identifier(self) -> CustomerIdentifier:
        return self.cleaned_data["identifier"]


class EraseForm(CustomerForm):
    confirm = forms.BooleanField(
        label=_("I understand that this customer's contact details, comments and invitations are erased for good."),
        required=False,
    )


class RetentionForm(forms.Form):
    """One field per kind of data: days to keep, blank to keep for good."""

    def __init__(self, *args, periods: dict[str, int | None], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in RETENTION_KINDS:
            self.fields[kind.code] = forms.IntegerField(
                label=kind.label,
                help_text=kind.help_text,
                required=False,
                min_value=1,
                max_value=MAX_RETENTION_DAYS,
                initial=periods.get(kind.code),
            )
