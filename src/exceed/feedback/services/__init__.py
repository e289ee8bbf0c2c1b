"""Every write to feedback goes through these functions, split by what they hold.

``responses`` (storing an answer), ``invitations``, ``channels`` (links and kiosks), ``surveys``
(editing in the back office) and ``survey_files`` (JSON definitions). Callers import from here.
"""

from exceed.feedback.services.channels import (
    channel_check_person,
    channel_create,
    channel_reissue,
    channel_revoke_kiosks,
    channel_set_active,
    channel_update,
)
from exceed.feedback.services.invitations import (
    hash_token,
    invitation_batch_create,
    invitation_create,
    invitation_issue_token,
    invitation_mark_opened,
    invitation_mark_sent,
    invitations_claim_due,
    invitations_claim_reminders,
)
from exceed.feedback.services.observed import (
    MYSTERY_SURVEY_SLUG,
    response_record_mystery_shop,
    response_withdraw_mystery_shop,
)
from exceed.feedback.services.responses import (
    NewResponse,
    evaluations_pending,
    evaluations_pending_add,
    response_stored,
    response_submit,
    responses_store_many,
)
from exceed.feedback.services.survey_files import (
    SURVEY_FORMAT,
    default_survey_install,
    survey_export,
    survey_import,
    survey_import_json,
)
from exceed.feedback.services.surveys import (
    question_delete,
    question_move,
    question_restore,
    question_save,
    survey_create,
    survey_publish,
    survey_publish_refusal,
    survey_translations_save,
    survey_unpublish,
    survey_update,
)

__all__ = [
    "MYSTERY_SURVEY_SLUG",
    "NewResponse",
    "SURVEY_FORMAT",
    "channel_check_person",
    "channel_create",
    "channel_reissue",
    "channel_revoke_kiosks",
    "channel_set_active",
    "channel_update",
    "default_survey_install",
    "evaluations_pending",
    "evaluations_pending_add",
    "hash_token",
    "invitation_batch_create",
    "invitation_create",
    "invitation_issue_token",
    "invitation_mark_opened",
    "invitation_mark_sent",
    "invitations_claim_due",
    "invitations_claim_reminders",
    "question_delete",
    "question_move",
    "question_restore",
    "question_save",
    "response_record_mystery_shop",
    "response_stored",
    "responses_store_many",
    "response_submit",
    "response_withdraw_mystery_shop",
    "survey_create",
    "survey_export",
    "survey_import",
    "survey_import_json",
    "survey_publish",
    "survey_publish_refusal",
    "survey_translations_save",
    "survey_unpublish",
    "survey_update",
]
