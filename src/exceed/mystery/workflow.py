"""The assignment workflow held as data (core.workflow): the only place an assignment's status changes.

open → claimed → submitted → returned (revise within the programme's hours) → submitted …, and
submitted → approved / approved but excluded / rejected; open, claimed and returned shops expire
when their time runs out. A claimed shop may be released back to open by its shopper.
"""

from exceed.core.workflow import Workflow
from exceed.mystery.models import Assignment, AssignmentChange, AssignmentStatus

S = AssignmentStatus
PIPELINE: dict[str, tuple[str, ...]] = {
    S.OPEN: (S.CLAIMED, S.EXPIRED),
    S.CLAIMED: (S.SUBMITTED, S.OPEN, S.EXPIRED),
    S.SUBMITTED: (S.RETURNED, S.APPROVED, S.APPROVED_EXCLUDED, S.REJECTED),
    S.RETURNED: (S.SUBMITTED, S.EXPIRED),
    # The owner may still take an approved shop out of the results, or put it back.
    S.APPROVED: (S.APPROVED_EXCLUDED,),
    S.APPROVED_EXCLUDED: (S.APPROVED,),
}
# The shopper still holds the shop: it counts against their limit and their lockout.
HELD = (S.CLAIMED, S.SUBMITTED, S.RETURNED, S.APPROVED, S.APPROVED_EXCLUDED)
DONE = (S.APPROVED, S.APPROVED_EXCLUDED)

ASSIGNMENT_WORKFLOW = Workflow(
    model=Assignment,
    moves=PIPELINE,
    history=AssignmentChange,
    subject="assignment",
    label=lambda status: AssignmentStatus(status).label if status in AssignmentStatus.values else status,
)
