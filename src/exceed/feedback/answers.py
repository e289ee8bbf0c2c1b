"""Turning raw answers (form strings or JSON values) into checked values, question kind by kind.

Messages are translated lazily so the public form shows them in the respondent's language.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from exceed.bounds import text_problem
from exceed.core.measures import CSAT_SCALE, RETURN_SCALE, Outcome
from exceed.core.texts import translated
from exceed.errors import DomainError
from exceed.feedback.models import Question, QuestionKind

_SCALES = {
    QuestionKind.RETURN_LIKELIHOOD: RETURN_SCALE,
    QuestionKind.CSAT: CSAT_SCALE,
}


@dataclass
class CheckedAnswers:
    """What a response will store: one value per answered question plus the copied key figures."""

    values: dict[int, dict] = field(default_factory=dict)  # question id → Answer fields
    return_likelihood: int | None = None
    expectation: int | None = None
    csat: int | None = None
    comment: str = ""
    person_ids: list[int] = field(default_factory=list)
    contact_consent: bool = False
    contact_email: str = ""
    contact_phone: str = ""
    # The consent question answered, for the evidence stored with the response.
    consent_question: Question | None = None

    def consent_evidence(self, *, language: str, at) -> dict:
        """What the customer was asked when they answered the consent question (issue 7, item 3):
        the exact wording in the language it was shown in, the question's version and the time.
        Empty when the survey asked no consent question or it was not answered."""
        question = self.consent_question
        if question is None:
            return {}
        fallback = question.survey.default_language
        shown = (
            language
            if question.text.get(language)
            else fallback
            if question.text.get(fallback)
            else next(iter(question.text), "")
        )
        wording = translated(question.text, shown)
        help_text = translated(question.help_text, shown, fallback)
        return {
            "consent_text": f"{wording}\n{help_text}" if help_text else wording,
            "consent_language": shown,
            "consent_version": question.version,
            "consent_at": at,
        }

    def response_fields(self) -> dict:
        """The columns a Response copies from its answers, so measures never join the answers."""
        return {
            "return_likelihood": self.return_likelihood,
            "expectation": self.expectation,
            "csat": self.csat,
            "comment": self.comment,
            "contact_consent": self.contact_consent,
            "contact_email": self.contact_email,
            "contact_phone": self.contact_phone,
        }


def _blank(raw) -> bool:
    return raw is None or raw == "" or raw == [] or (isinstance(raw, str) and not raw.strip())


def _integer(question: Question, raw, low: int, high: int) -> int:
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        raise DomainError(
            _("Please choose a number from %(low)s to %(high)s.") % {"low": low, "high": high}, field=question.code
        ) from None
    if not low <= number <= high:
        raise DomainError(
            _("Please choose a number from %(low)s to %(high)s.") % {"low": low, "high": high}, field=question.code
        )
    return number


def _choice_codes(question: Question, raw, *, many: bool) -> list[str]:
    codes = raw if isinstance(raw, (list, tuple)) else [raw]
    codes = [str(code).strip() for code in codes if not _blank(code)]
    allowed = {choice.code for choice in question.choices.all()}
    unknown = [code for code in codes if code not in allowed]
    if unknown or (not many and len(codes) > 1):
        raise DomainError(_("Please choose one of the options offered."), field=question.code)
    return codes


def check_answers(
    *, questions, raw_answers: dict, staff_ids: set[int] | None, contact: dict | None = None
) -> CheckedAnswers:
    """Check ``raw_answers`` (question code → value) against ``questions``.

    ``staff_ids`` are the people who may be named in a staff-recognition answer (the location's
    people); ``None`` skips that check. ``contact`` carries ``email``/``phone`` for the consent
    question. Raises DomainError naming the first offending question.
    """
    known = {question.code for question in questions}
    for code in raw_answers:
        if code not in known:
            raise DomainError(_("Unknown question code: %(code)s") % {"code": code}, field=code)

    checked = CheckedAnswers()
    contact = contact or {}
    for question in questions:
        raw = raw_answers.get(question.code)
        if _blank(raw):
            if question.required:
                raise DomainError(_("Please answer this question."), field=question.code)
            continue
        _check_one(question, raw, checked, staff_ids, contact)
        if question.pk in checked.values:
            # The version of the question's text this answer was given to.
            checked.values[question.pk]["question_version"] = question.version
    return checked


def _check_one(question: Question, raw, checked: CheckedAnswers, staff_ids, contact: dict) -> None:
    kind = question.kind
    if kind in _SCALES:
        number = _integer(question, raw, *_SCALES[kind])
        checked.values[question.pk] = {"number": number}
        if kind == QuestionKind.RETURN_LIKELIHOOD and checked.return_likelihood is None:
            checked.return_likelihood = number
        elif kind == QuestionKind.CSAT and checked.csat is None:
            checked.csat = number
    elif kind == QuestionKind.EXPECTATION:
        value = Outcome.from_text(str(raw))
        if value is None:
            raise DomainError(_("Please choose below, as expected or exceeded."), field=question.code)
        checked.values[question.pk] = {"number": value}
        if checked.expectation is None:
            checked.expectation = value
    elif kind in (QuestionKind.CHOICE, QuestionKind.MULTI_CHOICE):
        codes = _choice_codes(question, raw, many=kind == QuestionKind.MULTI_CHOICE)
        checked.values[question.pk] = {"choices": codes}
    elif kind == QuestionKind.TEXT:
        text = str(raw).strip()
        if problem := text_problem(text):
            raise DomainError(problem, field=question.code)
        if len(text) > settings.EXCEED_MAX_TEXT_LENGTH:
            raise DomainError(
                _("Please keep your answer under %(max)s characters.") % {"max": settings.EXCEED_MAX_TEXT_LENGTH},
                field=question.code,
            )
        checked.values[question.pk] = {"text": text}
        checked.comment = f"{checked.comment}\n\n{text}".strip() if checked.comment else text
    elif kind == QuestionKind.STAFF:
        _check_staff(question, raw, checked, staff_ids)
    elif kind == QuestionKind.CONSENT:
        _check_consent(question, raw, checked, contact)


def _check_staff(question: Question, raw, checked: CheckedAnswers, staff_ids) -> None:
    values = raw if isinstance(raw, (list, tuple)) else [raw]
    try:
        ids = sorted({int(value) for value in values if not _blank(value)})
    except (TypeError, ValueError):
        raise DomainError(_("Please choose from the people listed."), field=question.code) from None
    if staff_ids is not None and not set(ids) <= staff_ids:
        raise DomainError(_("Please choose from the people listed."), field=question.code)
    checked.values[question.pk] = {"choices": [str(pk) for pk in ids]}
    checked.person_ids = sorted(set(checked.person_ids) | set(ids))


def _check_consent(question: Question, raw, checked: CheckedAnswers, contact: dict) -> None:
    consent = raw is True or str(raw).strip().lower() in {"1", "true", "yes", "on"}
    email = str(contact.get("email") or "").strip()
    phone = str(contact.get("phone") or "").strip()
    checked.values[question.pk] = {"number": int(consent)}
    checked.contact_consent = consent
    checked.consent_question = question
    if not consent:
        # Contact details given without consent are dropped, never stored (GDPR data minimisation).
        return
    if not email and not phone:
        raise DomainError(
            _("Please give an email address or a phone number so we can contact you."), field="contact_email"
        )
    check_contact_details(email=email, phone=phone)
    checked.contact_email, checked.contact_phone = email, phone


def check_contact_details(*, email: str, phone: str) -> None:
    """A customer's email and phone, as every form and API that stores them checks them."""
    if email:
        try:
            # 254 is the column's length as well as SMTP's limit; validate_email alone allows 320.
            if len(email) > 254:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            raise DomainError(_("Please enter a valid email address."), field="contact_email") from None
    if len(phone) > 40 or text_problem(phone):
        raise DomainError(_("Please enter a valid phone number."), field="contact_phone")
