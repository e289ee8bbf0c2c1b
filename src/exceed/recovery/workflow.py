"""The case workflow held as data, moved by the shared mechanism (core.workflow): the only place a
case's status changes. A reopened case's new round of steps is the calling service's side effect."""

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from exceed.core.workflow import Workflow
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

CASE_WORKFLOW = Workflow(
    model=RecoveryCase,
    moves=PIPELINE,
    history=CaseStatusChange,
    subject="case",
    label=lambda status: CaseStatus(status).label if status in CaseStatus.values else status,
)


def case_set_status(
    *, case: RecoveryCase, status: str, by: User | None = None, note: str = "", at=None
) -> RecoveryCase:
    """Move ``case`` to ``status`` if the pipeline allows it, recording who and when.

    The caller runs inside its own transaction; the conditional update makes a concurrent move of
    the same case fail loudly instead of silently overwriting it.
    """
    if not CASE_WORKFLOW.allows(case.status, status):
        raise DomainError(
            _("A case cannot move from %(from)s to %(to)s.")
            % {"from": CASE_WORKFLOW.label(case.status), "to": CASE_WORKFLOW.label(status)},
            field="status",
            status=409,
        )
    try:
        return CASE_WORKFLOW.move(case, status, by=by, note=note, at=at)
    except DomainError as error:
        if error.status == 409:
            raise DomainError(
                _("Someone else changed this case just now; please reload."), field="status", status=409
            ) from None
        raise
