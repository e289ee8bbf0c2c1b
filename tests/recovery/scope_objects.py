"""Recovery's objects outside the scope: the case the low, consenting Paris answer opened, and the
chain's failure categories and step deadlines, which only the owner edits."""

from exceed.recovery.models import CaseCategory, DeadlinePolicy, RecoveryCase
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

    category = CaseCategory.objects.get(code="wrong-order")
    policy = DeadlinePolicy.objects.create(category=category, step="acknowledge", hours=3)
    settings_before = (category.name, category.names, category.active)

    def settings_unchanged():
        category.refresh_from_db()
        assert (category.name, category.names, category.active) == settings_before
        assert DeadlinePolicy.objects.get(pk=policy.pk).hours == 3 and DeadlinePolicy.objects.count() == 1

    return OutsideScope(
        objects={"case": case},
        values={"case_id": case.pk, "category_id": category.pk, "policy_id": policy.pk},
        prefixed={"recovery/": {"pk": case.pk, "kind": "acknowledge"}},
        unchanged=[case_unchanged, settings_unchanged],
    )
