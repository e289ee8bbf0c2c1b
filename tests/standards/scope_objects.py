"""Standards' objects outside the scope: a playbook entry for Paris only, with Claire (Paris) given a
login so that Paris has coverage to hide, and a draft only the owner may read."""

from django.contrib.auth.models import User

from exceed.org.models import Membership, Role
from exceed.standards import services
from exceed.standards.models import AcknowledgementReminder, PlaybookEntry
from tests.scope import OutsideScope

PARIS_STEPS_MARKER = "Proposez un café PARIS-PLAYBOOK"
DRAFT_MARKER = "DRAFT-PLAYBOOK-ONLY-OWNER"


def outside_scope(cast, found) -> OutsideScope:
    claire_login = User.objects.create_user("claire", email="claire@example.com", password="pw-claire")
    Membership.objects.create(user=claire_login, role=Role.ASSOCIATE)
    cast.claire.user = claire_login
    cast.claire.save()
    situation = services.situation_create(
        code="paris-queue", name={"en": "A queue in Paris"}, category="problem", description={"en": "Busy"}
    )
    entry = services.entry_create(
        situation=situation, touchpoint=cast.in_store, steps={"en": PARIS_STEPS_MARKER}, locations=[cast.par]
    )
    services.entry_submit(entry=entry)
    version = services.entry_publish(entry=entry)
    attribute = services.charter_attribute_save(code="welcome", name={"en": "Welcome"})
    draft_situation = services.situation_create(code="draft-only", name={"en": "Draft"}, category="routine")
    draft = services.entry_create(situation=draft_situation, touchpoint=None, steps={"en": DRAFT_MARKER})
    before = (entry.status, version.pk, entry.versions.count())

    def entry_unchanged():
        entry.refresh_from_db()
        draft.refresh_from_db()
        assert (entry.status, entry.published_version_id, entry.versions.count()) == before
        assert not version.acknowledgements.exists()
        assert not AcknowledgementReminder.objects.filter(person=cast.claire).exists()
        assert draft.status == "draft" and draft.steps == {"en": DRAFT_MARKER}
        assert PlaybookEntry.objects.filter(situation__code="paris-queue").count() == 1
        attribute.refresh_from_db()
        assert attribute.name == {"en": "Welcome"}

    return OutsideScope(
        objects={"paris_entry": entry, "paris_version": version, "draft_entry": draft},
        values={
            "entry_id": entry.pk,
            "version_id": version.pk,
            "situation_id": situation.pk,
            "attribute_id": attribute.pk,
        },
        prefixed={"standards/": {"action": "publish", "kind": "csv"}},
        markers=[PARIS_STEPS_MARKER, DRAFT_MARKER],
        unchanged=[entry_unchanged],
    )
