"""Recovery's object outside the scope: the case the low, consenting Paris answer opened."""

from exceed.recovery.models import RecoveryCase
from tests.recovery.factories import evaluate_pending
from tests.scope import OutsideScope


def outside_scope(cast, found) -> OutsideScope:
    # The worker's evaluation opens the case of feedback's low, consenting Paris answer (the default rule).
    evaluate_pending()
    case = RecoveryCase.objects.get(location=cast.par)
    before = (case.status, case.steps.count(), case.owner_id)

    def case_unchanged():
        case.refresh_from_db()
        assert (case.status, case.steps.count(), case.owner_id) == before

    return OutsideScope(
        objects={"case": case},
        values={"case_id": case.pk},
        prefixed={"recovery/": {"pk": case.pk, "kind": "acknowledge"}},
        unchanged=[case_unchanged],
    )
