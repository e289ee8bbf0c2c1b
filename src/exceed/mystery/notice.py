"""Staff are told in advance that their store is mystery-shopped (issue 10 §5). The notice is the
standards app's acknowledgement of the situation ``mystery-shopping-notice``; until that app
holds one for a person, the person counts as not having acknowledged it, and reports describe
rather than name them."""

NOTICE_SITUATION = "mystery-shopping-notice"


def notice_acknowledged(person) -> bool:
    return False


def playbook_note(item) -> str:
    """The playbook entry an item checks, as a line for the corrective case ("" until linked)."""
    return ""
