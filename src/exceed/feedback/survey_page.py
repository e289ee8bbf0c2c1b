"""The public survey page of a link or a store tablet, rendered once per survey, store, language
and staff list in each process instead of on every visit.

Rendering the page was about half of what a respondent's GET cost in CPU, and the GET more than
half of a whole answer (issue 11, BENCHMARKS.md). The page is the same for every respondent but
for its CSRF token, so it is kept with a placeholder that each response fills with its own token.
What the page shows is the key: the survey's texts and languages, the store's name, the staff
offered, the language and whether it is a tablet; the questions are the checked per-process cache
of ``selectors.survey_questions``, whose list is a new object whenever a question or choice
changed, so an edit in the back office shows on the next visit, through any worker. Pages with
errors, and an invitation's page (one customer's), are rendered as before.

Nothing of the visitor may enter the template beyond the token: it has no user, session or
message in it (public_base.html), and tests/feedback/test_survey_page_cache.py holds that.
"""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from exceed.feedback import respondent, selectors

_TOKEN = "exceed-csrf-token-to-fill-in"
# A chain's links, tablets and languages; past this the cache starts again rather than grow.
_MOST_PAGES = 512
_pages: dict[tuple, tuple[list, str]] = {}


def survey_page(request, context: dict, *, staff: list) -> HttpResponse:
    """The page of ``context`` (the view's, without its questions) for this request."""
    survey, location, language = context["survey"], context["location"], context["language"]
    questions = selectors.survey_questions(survey)
    key = (
        survey.pk,
        location.pk,
        location.name,
        language,
        context["kiosk"],
        context["title"],
        context["intro"],
        tuple(context["languages"]),
        tuple((person.pk, person.name) for person in staff),
    )
    cached = _pages.get(key)
    if cached is not None and cached[0] is questions:
        html = cached[1]
    else:
        shown = respondent.displayed_questions(survey, language, staff=staff, questions=questions)
        html = render_to_string("feedback/survey.html", {**context, "questions": shown, "csrf_token": _TOKEN}, request)
        if len(_pages) >= _MOST_PAGES:
            _pages.clear()
        _pages[key] = (questions, html)
    # get_token also marks the CSRF cookie to be sent, as the template's {% csrf_token %} does.
    return HttpResponse(html.replace(_TOKEN, get_token(request)))
