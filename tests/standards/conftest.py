"""A small playbook on top of the shared cast: two situations, three entries, all published."""

import pytest

from exceed.standards import services
from exceed.standards.models import SituationCategory


class Playbook:
    pass


def publish(entry, by=None, note=""):
    services.entry_submit(entry=entry, by=by)
    return services.entry_publish(entry=entry, by=by, change_note=note)


@pytest.fixture
def playbook(cast):
    p = Playbook()
    p.welcome = services.charter_attribute_save(
        code="welcome", name={"en": "Welcome", "fi": "Tervetullut"}, behaviours={"en": "Greet within ten seconds"}
    )
    p.late = services.situation_create(
        code="late-delivery",
        name={"en": "Late delivery", "fi": "Myöhästynyt toimitus", "da": "Forsinket levering"},
        category=SituationCategory.PROBLEM,
    )
    p.stock = services.situation_create(
        code="out-of-stock", name={"en": "Out of stock", "fi": "Loppuunmyyty"}, category=SituationCategory.PROBLEM
    )
    p.late_phone = services.entry_create(
        situation=p.late,
        touchpoint=cast.phone,
        owner=cast.owner,
        steps={"en": "Say sorry\nGive a new time", "fi": "Pyydä anteeksi\nKerro uusi aika"},
        words_to_use={"en": "I will call you back"},
        attributes=[p.welcome],
    )
    p.stock_all = services.entry_create(
        situation=p.stock, touchpoint=None, owner=cast.owner, steps={"en": "Offer to order it"}
    )
    # Only for Paris: Copenhagen's people are not asked to acknowledge it.
    p.stock_store = services.entry_create(
        situation=p.stock, touchpoint=cast.in_store, steps={"en": "Check the back room"}, locations=[cast.par]
    )
    p.late_v1 = publish(p.late_phone, by=cast.owner)
    p.stock_v1 = publish(p.stock_all, by=cast.owner)
    p.stock_store_v1 = publish(p.stock_store, by=cast.owner)
    return p


from tests.cli.conftest import exceed, write  # noqa: E402,F401  (the demo and import tests run the command)
