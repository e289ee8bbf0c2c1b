"""The demo chain's charter and playbook for `exceed demo` (issue 9, item 8).

Five charter attributes, twelve situations with their entries on the touchpoints where they
happen, all in five languages; a second version of two entries; acknowledgements from about 40 %
to 100 % across the stores (seeded, by=None), and the "mystery-shopping-notice" entry that mystery
shopping reads. Through the services, except the acknowledgements, which are bulk-inserted.
"""

import random
from datetime import timedelta

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from exceed.org.models import Location, Person, Role, Touchpoint
from exceed.standards import services
from exceed.standards.demo_texts import (
    ATTRIBUTES,
    ENTRIES,
    LATE_DELIVERY_V2_FIRST_STEP,
    SECOND_VERSIONS,
    SITUATIONS,
    STATEMENT,
)
from exceed.standards.models import Acknowledgement
from exceed.standards.selectors import version_applies, versions_in_force


def seed_demo_playbook(*, rng: random.Random) -> int:
    """Create the charter and the playbook; returns the number of entries published."""
    now = timezone.now()
    owner = User.objects.filter(Q(membership__role=Role.OWNER) | Q(is_superuser=True)).order_by("pk").first()
    services.charter_update(statement=STATEMENT, owner=owner, review_on=(now + timedelta(days=180)).date())
    attributes = {}
    for position, (code, name, description, behaviours) in enumerate(ATTRIBUTES):
        attributes[code] = services.charter_attribute_save(
            code=code, name=name, description=description, behaviours=behaviours, position=position
        )
    services.charter_publish(by=owner, at=now - timedelta(days=70))
    situations = {}
    for position, (code, category, step, name, description) in enumerate(SITUATIONS):
        situations[code] = services.situation_create(
            code=code, name=name, description=description, category=category, recovery_step=step, position=position
        )
    touchpoints = {touchpoint.code: touchpoint for touchpoint in Touchpoint.objects.all()}
    first_published = now - timedelta(days=60)
    entries = {}
    for situation, touchpoint, codes, steps, use, avoid, authority in ENTRIES:
        entry = services.entry_create(
            situation=situations[situation],
            touchpoint=touchpoints.get(touchpoint) if touchpoint else None,
            owner=owner,
            review_on=(now + timedelta(days=rng.randint(30, 300))).date(),
            steps=steps,
            words_to_use=use,
            words_to_avoid=avoid,
            authority=authority,
            attributes=[attributes[code] for code in codes],
        )
        services.entry_submit(entry=entry, by=owner)
        services.entry_publish(entry=entry, by=owner, at=first_published)
        entries[(situation, touchpoint)] = entry
    _acknowledge(rng, at=first_published + timedelta(days=3))
    _second_versions(entries, owner=owner, at=now - timedelta(days=9))
    _acknowledge(rng, at=now - timedelta(days=5), share_of_target=0.6)
    return len(entries)


def _second_versions(entries: dict, *, owner, at) -> None:
    for situation, touchpoint, note, authority in SECOND_VERSIONS:
        entry = entries[(situation, touchpoint)]
        steps = entry.steps
        if situation == "late-delivery":
            steps = {
                code: "\n".join([LATE_DELIVERY_V2_FIRST_STEP[code], *text.splitlines()[1:]])
                for code, text in entry.steps.items()
            }
        services.entry_update(
            entry=entry,
            by=owner,
            owner=owner,
            review_on=entry.review_on,
            steps=steps,
            words_to_use=entry.words_to_use,
            words_to_avoid=entry.words_to_avoid,
            authority=authority or entry.authority,
            attributes=list(entry.attributes.all()),
        )
        services.entry_submit(entry=entry, by=owner)
        services.entry_publish(entry=entry, by=owner, change_note=note["en"], at=at)


def _acknowledge(rng: random.Random, *, at, share_of_target: float = 1.0) -> None:
    """Each store reads the playbook to its own degree, from about 40 % to all of it.

    The demo's associate login leaves a few entries unread, so its phone shows what is waiting.
    """
    locations = list(Location.objects.order_by("code"))
    targets = {location.pk: 0.4 + 0.6 * index / max(1, len(locations) - 1) for index, location in enumerate(locations)}
    versions = list(versions_in_force())
    done = set(Acknowledgement.objects.values_list("version_id", "person_id"))
    rows = []
    for person in Person.objects.filter(active=True).prefetch_related("locations").select_related("user"):
        home = [location.pk for location in person.locations.all()]
        if not home:
            continue
        target = max(targets[pk] for pk in home) * share_of_target
        is_demo_associate = person.user is not None and person.user.username == "associate"
        for version in versions:
            if (version.pk, person.pk) in done or not version_applies(
                version, job_role=person.job_role, location_ids=set(home)
            ):
                continue
            if is_demo_associate and version.entry.situation.code in ("late-delivery", "mystery-shopping-notice"):
                continue
            if rng.random() < target:
                moment = at + timedelta(hours=rng.randint(0, 72))
                rows.append(Acknowledgement(version=version, person=person, by=None, at=min(moment, timezone.now())))
    Acknowledgement.objects.bulk_create(rows)
