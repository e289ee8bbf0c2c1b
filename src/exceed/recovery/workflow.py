"""The case workflow held as data (django-oscar's pipeline idea): the only place a status changes."""

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from exceed.errors import DomainError
from exceed.recovery.models import CaseStatus, CaseStatusChange, RecoveryCase

PIPELINE: dict[str, tuple[str, ...]] = {
    CaseStatus.OPEN: (CaseStatus.IN_PROGRESS, CaseStatus.CLOSED),
    CaseStatus.IN_PROGRESS: (CaseStatus.CLOSED,),
    # A double deviation (or a manager) reopens a closed case; it is never deleted.
    CaseStatus.CLOSED: (CaseStatus.REOPENED,),
    CaseStatus.REOPENED: (CaseStatus.IN_PROGRESS, CaseStatus.CLOSED),
}
ACTIVE_STATUSES = (CaseStatus.OPEN, CaseStatus.IN_PROGRESS, CaseStatus.REOPENED)


def case_set_status(*, case: RecoveryCase, status: str, by: User | None = None, note: str = "", at=None) -> RecoveryCase:
    """Move ``case`` to ``status`` if the pipeline allows it, recording who and when.

    The caller runs inside its own transaction; the conditional update makes a concurrent move of
    the same case fail loudly instead of silently overwriting it.
    """
    if status not in PIPELINE.get(case.status, ()):
        raise DomainError(
            _("A case cannot move from %(from)s to %(to)s.")
            % {"from": CaseStatus(case.status).label, "to": CaseStatus(status).label if status in CaseStatus.values else status},
            field="status",
            status=409,
        )
    at = at or timezone.now()
    moved = RecoveryCase.objects.filter(pk=case.pk, status=case.status).update(status=status)
    if not moved:
        raise DomainError(_("Someone else changed this case just now; please reload."), field="status", status=409)
    CaseStatusChange.objects.create(case=case, from_status=case.status, to_status=status, by=by, at=at, note=note)
    case.status = status
    if status == CaseStatus.REOPENED:
        from exceed.recovery.deadlines import step_add_round

        step_add_round(case=case, at=at)
    return case
