"""Staff are told in advance that their store is mystery-shopped (issue 10 §5): the standards
app's acknowledgement of the notice situation ``mystery-shopping-notice``. A report names a person
only where they acknowledged it; elsewhere it describes the behaviour. A failed item's playbook
entry, as the corrective case reads it."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from exceed.standards.selectors import MYSTERY_SHOPPING_NOTICE, entry_title, situation_acknowledged, version_text

NOTICE_SITUATION = MYSTERY_SHOPPING_NOTICE


def notice_acknowledged(person) -> bool:
    return situation_acknowledged(person=person, code=NOTICE_SITUATION)


def playbook_note(item) -> str:
    """The playbook entry a failed item checks, with its steps in force, for the corrective case."""
    entry = item.playbook_entry
    if entry is None:
        return ""
    language = get_language() or "en"
    if entry.published_version is None:
        return _("Playbook: %(entry)s") % {"entry": entry_title(entry, language)}
    text = version_text(entry.published_version, language)
    steps = "\n".join(f"- {step}" for step in text.steps)
    return _("Playbook: %(entry)s") % {"entry": text.title} + ("\n" + steps if steps else "")
