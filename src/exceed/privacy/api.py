"""/api/v1/privacy: an owner's token finds, exports and erases one customer.

Every operation is a POST with the customer in the body, so no address lands in a URL or an
access log. Each is recorded in the privacy audit, as on the pages.
"""

from django.utils.translation import gettext as _
from ninja import Router

from exceed.api.schemas import ErrorOut
from exceed.errors import DomainError
from exceed.privacy import services
from exceed.privacy.identifiers import CustomerIdentifier, customer_identifier
from exceed.privacy.schemas import CustomerIn, EraseIn, ExportOut, HoldingsOut

router = Router(tags=["privacy"])


def _customer(request, payload: CustomerIn) -> CustomerIdentifier:
    if not request.scope.may_handle_privacy_requests:
        raise DomainError(_("Only owners handle customers' privacy requests."), status=403)
    return customer_identifier(email=payload.email, phone=payload.phone)


@router.post("/privacy/find", response={200: HoldingsOut, 400: ErrorOut, 403: ErrorOut})
def privacy_find(request, payload: CustomerIn):
    """How many responses, invitations, recovery cases and till visits are held about the customer."""
    identifier = _customer(request, payload)
    return services.customer_find(scope=request.scope, identifier=identifier, by=request.user, via="api").counts()


@router.post("/privacy/export", response={200: ExportOut, 400: ErrorOut, 403: ErrorOut})
def privacy_export(request, payload: CustomerIn):
    """Everything held about the customer: responses with answers, invitations, cases with steps, visits."""
    identifier = _customer(request, payload)
    return services.customer_export_take(scope=request.scope, identifier=identifier, by=request.user, via="api")


@router.post("/privacy/erase", response={200: HoldingsOut, 400: ErrorOut, 403: ErrorOut})
def privacy_erase(request, payload: EraseIn):
    """Erase the customer's contact details, comments, invitation addresses and case contacts; the
    measures stay exact. Needs ``"confirm": true``. Answers with what was erased."""
    identifier = _customer(request, payload)
    if not payload.confirm:
        raise DomainError(_('Erasing cannot be undone: send "confirm": true.'), field="confirm")
    return services.customer_erase(scope=request.scope, identifier=identifier, by=request.user, via="api")
