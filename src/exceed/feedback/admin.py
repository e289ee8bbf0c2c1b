"""Back office for superusers. It cannot bypass what the services enforce: answered questions stay,
responses are read-only, and a channel credits only someone who works at its location."""

from django import forms
from django.contrib import admin

from exceed.errors import DomainError
from exceed.feedback.models import Channel, Choice, Invitation, Question, Response, Survey
from exceed.feedback.services import channel_check_person


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "code", "kind", "required", "text"]
    readonly_fields = ["code", "kind"]  # changed on the question's own page, where answers are checked

    def has_delete_permission(self, request, obj=None):
        # The inline's obj is the survey: no question of a survey with answers can be deleted here.
        return obj is None or not obj.responses.exists()


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

    def has_delete_permission(self, request, obj=None):
        # As services.question_delete: deleting an answered question would delete its answers.
        return obj is None or not obj.answers.exists()

    def get_actions(self, request):
        # The bulk "delete selected" action would bypass the per-question check above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        # As services.question_save: answers given keep the meaning of their question.
        if obj is not None and obj.answers.exists():
            return ["survey", "code", "kind"]
        return []


class ChannelForm(forms.ModelForm):
    class Meta:
        model = Channel
        fields = ["kind", "slug", "name", "survey", "location", "touchpoint", "person", "active"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("location") is not None:
            try:
                channel_check_person(location=cleaned["location"], person=cleaned.get("person"))
            except DomainError as error:
                self.add_error(error.field, error.message)
        return cleaned


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    form = ChannelForm
    list_display = ["slug", "kind", "location", "touchpoint", "person", "active"]
    list_filter = ["kind", "active", "location"]
    exclude = ["kiosk_key"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "location", "status", "sent_at", "answered_at"]
    list_filter = ["status", "location"]
    search_fields = ["email", "transaction_ref"]
    exclude = ["token_hash", "reminder_token_hash"]
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
