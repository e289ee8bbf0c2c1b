"""The kinds of customer data an owner sets a retention period for, and what purges each.

A kind is a code, a label and the dotted path of a purge function
``(*, before: datetime, limit: int) -> int`` that clears at most ``limit`` items older than
``before`` and returns how many it cleared. Mystery-shop evidence joins with one more entry here
pointing at a function in ``exceed.mystery`` (privacy sits above every app, so it may name it);
periods are stored by code, so a new kind needs no migration.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RetentionKind:
    code: str
    label: str | Promise
    help_text: str | Promise
    purge: str


RETENTION_KINDS: tuple[RetentionKind, ...] = (
    RetentionKind(
        "contact",
        _("Customers' contact details"),
        _("Email addresses, phone numbers and names on responses and recovery cases."),
        "exceed.privacy.services.contact_details_purge",
    ),
    RetentionKind(
        "comments",
        _("Customers' comments"),
        _("Free-text answers and what impressed them after a recovery."),
        "exceed.privacy.services.comments_purge",
    ),
    RetentionKind(
        "invitation_addresses",
        _("Invitation addresses"),
        _("The email addresses invitations were sent to (the invitation's counts stay)."),
        "exceed.privacy.services.invitation_addresses_purge",
    ),
)


def retention_kind(code: str) -> RetentionKind | None:
    return next((kind for kind in RETENTION_KINDS if kind.code == code), None)
