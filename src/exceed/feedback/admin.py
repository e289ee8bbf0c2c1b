from django.contrib import admin

from exceed.feedback.models import Channel, Choice, Invitation, Question, Response, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "code", "kind", "required", "text"]
    readonly_fields = ["code", "kind"]  # changed on the question's own page, where answers are checked


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["slug", "__str__", "active", "in_measures"]
    # Whether a survey counts in the measures changes through the survey page (services.survey_update),
    # which rebuilds the daily rollup; flipping it here would leave past answers counted wrongly.
    readonly_fields = ["in_measures"]
    inlines = [QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["survey", "code", "kind", "position"]
    list_filter = ["survey", "kind"]
    inlines = [ChoiceInline]

    def get_readonly_fields(self, request, obj=None):
        # As services.question_save: answers given keep the meaning of their question.
        if obj is not None and obj.answers.exists():
            return ["survey", "code", "kind"]
        return []


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["slug", "kind", "location", "touchpoint", "person", "active"]
    list_filter = ["kind", "active", "location"]
    exclude = ["kiosk_key"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "location", "status", "sent_at", "answered_at"]
    list_filter = ["status", "location"]
    search_fields = ["email", "transaction_ref"]
    exclude = ["token_hash"]
    readonly_fields = ["status", "sent_at", "opened_at", "answered_at", "error"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Read-only: responses change only through feedback.services, so the rollup stays exact."""

    list_display = ["pk", "submitted_at", "location", "touchpoint", "channel_kind", "return_likelihood", "expectation"]
    list_filter = ["channel_kind", "language", "location"]
    date_hierarchy = "submitted_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
