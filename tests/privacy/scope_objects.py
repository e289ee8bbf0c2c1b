"""Privacy's objects outside every scope but the owner's: the Paris customer's contact (from
feedback's answer) must survive every role's walk, no role but the owner's may leave an audit
record, and the retention periods are the owner's to change."""

from exceed.privacy.models import PrivacyAudit, RetentionPeriod
from tests.scope import OutsideScope


def outside_scope(cast, found) -> OutsideScope:
    response = found["response"]
    RetentionPeriod.objects.create(kind="contact", days=400)

    def customer_unerased():
        response.refresh_from_db()
        assert response.contact_email == "client@example.fr"
        assert not PrivacyAudit.objects.exists()

    def retention_unchanged():
        assert list(RetentionPeriod.objects.values_list("kind", "days")) == [("contact", 400)]

    return OutsideScope(unchanged=[customer_unerased, retention_unchanged])
