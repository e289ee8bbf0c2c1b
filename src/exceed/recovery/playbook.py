"""What good looks like for each recovery step, shown beside the step (docs/DOMAIN.md §4: the bakery-café)."""

from django.utils.translation import gettext_lazy as _

from exceed.recovery.models import StepKind

PLAYBOOK = {
    StepKind.ACKNOWLEDGE: _(
        "Acknowledge it at once, ideally before the customer has to say anything. In the bakery-café the "
        "cashier saw the wrong sandwich before the customer spoke. Show that you see the problem."
    ),
    StepKind.APOLOGISE: _(
        "Say sorry sincerely and simply: “I'm sorry for the mix-up.” No excuses, no justification, no blame — "
        "not the kitchen, not the system, not a colleague. Customers care less about why it failed than about "
        "how you handle it."
    ),
    StepKind.FIX: _(
        "Put it right straight away: the fresh sandwich, the correct item, the refund — whatever makes the "
        "original promise good."
    ),
    StepKind.GESTURE: _(
        "Add something the customer did not expect. With the fresh sandwich came a chocolate cake. Record what "
        "was given and its value."
    ),
    StepKind.FOLLOW_UP: _(
        "The manager follows up personally: five minutes later at the table, or by phone within two days, asks "
        "whether everything is right now and apologises again."
    ),
}
