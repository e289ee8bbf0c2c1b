"""The owner's review (approve, return with a comment, reject, approve but exclude), the rewards
ledger, managers' disputes and the corrective cases a failed shop opens (issue 10 §7, §9)."""

from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exceed.errors import DomainError
from exceed.mystery.models import (
    Assignment,
    AssignmentStatus,
    CorrectiveCase,
    Dispute,
    DisputeStatus,
    Report,
    ReportAnswer,
    RewardEntry,
    RewardKind,
)
from exceed.mystery.scoring import answer_points
from exceed.mystery.services.measures import report_measures_sync
from exceed.mystery.services.reports import audit, report_score_store
from exceed.mystery.workflow import ASSIGNMENT_WORKFLOW
from exceed.org.scopes import scope_for
from exceed.recovery.models import CaseCategory, CaseSource, Severity
from exceed.recovery.services import case_open

S = AssignmentStatus


def _submitted_report(assignment: Assignment) -> Report:
    report = Report.objects.filter(assignment=assignment).first()
    if report is None or assignment.status != S.SUBMITTED:
        raise DomainError(_("Only a submitted report can be reviewed."), field="assignment", status=409)
    return report


@transaction.atomic
def report_approve(
    *,
    assignment: Assignment,
    by: User,
    exclude: bool = False,
    rating: int | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Report:
    """Approve the report (or approve it but keep it out of the results), owe the reward, open
    corrective cases for what failed, and check the cases earlier shops opened here."""
    now = now or timezone.now()
    report = _submitted_report(assignment)
    if rating is not None and not 1 <= rating <= 5:
        raise DomainError(_("The shopper's rating takes 1 to 5."), field="rating")
    ASSIGNMENT_WORKFLOW.move(assignment, S.APPROVED_EXCLUDED if exclude else S.APPROVED, by=by, at=now, note=note)
    report.approved_at, report.counts, report.shopper_rating = now, not exclude, rating
    report.review_comment = note.strip() or report.review_comment
    report.save(update_fields=["approved_at", "counts", "shopper_rating", "review_comment", "updated_at"])
    _rewards_owe(assignment=assignment, report=report, now=now)
    report = report_measures_sync(report=report)
    if not exclude:
        _corrective_check(report=report)
        _corrective_open(report=report, by=by, now=now)
    return report


@transaction.atomic
def report_return(*, assignment: Assignment, by: User, comment: str, now: datetime | None = None) -> Report:
    """Send the report back to its shopper with what to fix; they have the programme's hours."""
    now = now or timezone.now()
    comment = comment.strip()
    if not comment:
        raise DomainError(_("Please say what the shopper should revise."), field="comment")
    report = _submitted_report(assignment)
    ASSIGNMENT_WORKFLOW.move(assignment, S.RETURNED, by=by, at=now, note=comment)
    revise_by = now + timedelta(hours=assignment.programme.revise_hours)
    Assignment.objects.filter(pk=assignment.pk).update(revise_by=revise_by)
    assignment.revise_by = revise_by
    report.review_comment = comment
    report.save(update_fields=["review_comment", "updated_at"])
    shopper = report.shopper
    local = revise_by.astimezone(assignment.location.zone).strftime("%Y-%m-%d %H:%M")

    def send():
        with translation.override(shopper.language):
            body = _(
                "Hello %(name)s,\n\nYour report on %(location)s needs a revision:\n\n%(comment)s\n\n"
                "Please revise and submit it by %(until)s (store time).\n"
            ) % {"name": shopper.display_name, "location": assignment.location.name, "comment": comment, "until": local}
            EmailMessage(subject=_("Your mystery-shop report was returned"), body=body, to=[shopper.user.email]).send()

    transaction.on_commit(send)
    return report


@transaction.atomic
def report_reject(*, assignment: Assignment, by: User, comment: str, now: datetime | None = None) -> Report:
    comment = comment.strip()
    if not comment:
        raise DomainError(_("Please say why the report is rejected."), field="comment")
    report = _submitted_report(assignment)
    ASSIGNMENT_WORKFLOW.move(assignment, S.REJECTED, by=by, at=now, note=comment)
    report.review_comment = comment
    report.save(update_fields=["review_comment", "updated_at"])
    return report


@transaction.atomic
def report_set_excluded(*, assignment: Assignment, by: User, excluded: bool, note: str = "") -> Report:
    """Take an approved shop out of the results, or put it back (a lenient or suspect shop)."""
    ASSIGNMENT_WORKFLOW.move(assignment, S.APPROVED_EXCLUDED if excluded else S.APPROVED, by=by, note=note)
    Report.objects.filter(assignment=assignment).update(counts=not excluded)
    return report_measures_sync(report=assignment.report)


# --- Rewards -----------------------------------------------------------------------------------


def _rewards_owe(*, assignment: Assignment, report: Report, now: datetime) -> None:
    programme = assignment.programme
    rows = [(RewardKind.REWARD, programme.reward_amount)]
    if report.expenses:
        rows.append((RewardKind.EXPENSE, min(report.expenses, programme.expense_cap)))
    for kind, amount in rows:
        if amount > 0:
            RewardEntry.objects.get_or_create(
                assignment=assignment,
                kind=kind,
                defaults={
                    "shopper": report.shopper,
                    "amount": amount,
                    "currency": programme.reward_currency,
                    "owed_at": now,
                },
            )


@transaction.atomic
def reward_pay(*, entry: RewardEntry, paid_on: date, method: str, reference: str = "", by: User) -> RewardEntry:
    method = method.strip()
    if not method:
        raise DomainError(_("Please say how it was paid."), field="method")
    if paid_on > timezone.now().date():
        raise DomainError(_("The payment date cannot be in the future."), field="paid_on")
    if not RewardEntry.objects.filter(pk=entry.pk, paid_on__isnull=True).update(
        paid_on=paid_on, method=method[:60], reference=reference.strip()[:120], recorded_by=by
    ):
        raise DomainError(_("This has been paid already."), field="paid_on", status=409)
    entry.refresh_from_db()
    audit(assignment=entry.assignment, action="reward_paid", by=by, amount=str(entry.amount), method=entry.method)
    return entry


# --- Disputes ----------------------------------------------------------------------------------


def dispute_period_start(moment: datetime) -> datetime:
    """Disputes are limited per calendar month (UTC)."""
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def dispute_raise(*, report: Report, item_code: str, reason: str, by: User, now: datetime | None = None) -> Dispute:
    """A location manager disputes one item of an approved report, within the programme's days
    and limit per period; the owner decides."""
    now = now or timezone.now()
    assignment = report.assignment
    programme = assignment.programme
    scope = scope_for(by)
    if not (report.counts and scope.may_dispute_at(assignment.location_id)):
        raise DomainError(_("You cannot dispute this report."), field="report", status=403)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Please give the reason for the dispute."), field="reason")
    if report.approved_at is None or now > report.approved_at + timedelta(days=programme.dispute_days):
        raise DomainError(
            _("The %(days)s days for disputing this report have passed.") % {"days": programme.dispute_days},
            field="report",
            status=409,
        )
    answer = report.answers.filter(item__code=item_code).select_related("item").first()
    if answer is None or not answer.item.scored:
        raise DomainError(_("Please choose a scored item of this report."), field="item")
    if Dispute.objects.filter(report=report, item=answer.item, status=DisputeStatus.OPEN).exists():
        raise DomainError(_("This item is being disputed already."), field="item", status=409)
    used = Dispute.objects.filter(
        report__assignment__location=assignment.location,
        report__assignment__programme=programme,
        raised_at__gte=dispute_period_start(now),
    ).count()
    if used >= programme.disputes_per_period:
        raise DomainError(
            _("This store has used its %(limit)s disputes for this month.") % {"limit": programme.disputes_per_period},
            field="report",
            status=409,
        )
    dispute = Dispute.objects.create(
        report=report, item=answer.item, raised_by=by, raised_at=now, reason=reason, score_before=report.score
    )
    audit(assignment=assignment, action="dispute_raised", by=by, at=now, item=item_code)
    return dispute


@transaction.atomic
def dispute_decide(
    *,
    dispute: Dispute,
    by: User,
    uphold: bool,
    decision: str,
    value: float | None = None,
    not_applicable: bool = False,
    now: datetime | None = None,
) -> Dispute:
    """Uphold the result, or change the item's answer and recompute the score; both are shown on the report."""
    now = now or timezone.now()
    decision = decision.strip()
    if not decision:
        raise DomainError(_("Please explain the decision."), field="decision")
    if not Dispute.objects.filter(pk=dispute.pk, status=DisputeStatus.OPEN).update(status=DisputeStatus.UPHELD):
        raise DomainError(_("This dispute has been decided already."), field="dispute", status=409)
    report = dispute.report
    if not uphold:
        answer = ReportAnswer.objects.get(report=report, item=dispute.item)
        answer.points = answer_points(dispute.item, value, not_applicable=not_applicable)
        answer.value, answer.not_applicable = (None if not_applicable else value), not_applicable
        answer.changed_by_dispute = True
        answer.save(update_fields=["points", "value", "not_applicable", "changed_by_dispute"])
        report_score_store(report)
    dispute.status = DisputeStatus.UPHELD if uphold else DisputeStatus.CHANGED
    dispute.decided_by, dispute.decided_at, dispute.decision = by, now, decision
    dispute.score_after = report.score
    dispute.save(update_fields=["status", "decided_by", "decided_at", "decision", "score_after"])
    audit(assignment=report.assignment, action="dispute_decided", by=by, at=now, status=dispute.status)
    return dispute


# --- Closing the loop --------------------------------------------------------------------------


def _category() -> CaseCategory:
    return CaseCategory.objects.filter(code="other").first() or CaseCategory.objects.filter(active=True).first()


def _corrective_open(*, report: Report, by: User, now: datetime) -> list[CorrectiveCase]:
    """A failed critical item, or a score below the programme's threshold, opens a recovery case
    (source "mystery shop") for the location's managers; the next shop there checks it."""
    assignment, programme = report.assignment, report.assignment.programme
    opened = []
    failed = [a for a in report.answers.select_related("item") if a.item.critical and a.failed]
    for answer in failed:
        from exceed.mystery.notice import playbook_note

        summary = _("Mystery shop: “%(item)s” failed") % {"item": str(answer.item)[:150]}
        description = "\n\n".join(part for part in (answer.comment, playbook_note(answer.item)) if part)
        case = case_open(
            location=assignment.location,
            category=_category(),
            summary=summary[:200],
            source=CaseSource.MYSTERY_SHOP,
            touchpoint=programme.touchpoint,
            severity=Severity.HIGH,
            description=description,
            by=by,
            opened_at=now,
        )
        opened.append(CorrectiveCase.objects.create(report=report, case=case, item_code=answer.item.code))
    if programme.case_threshold is not None and report.score is not None and report.score < programme.case_threshold:
        case = case_open(
            location=assignment.location,
            category=_category(),
            summary=(
                _("Mystery shop scored %(score)s, below %(threshold)s")
                % {"score": report.score, "threshold": programme.case_threshold}
            )[:200],
            source=CaseSource.MYSTERY_SHOP,
            touchpoint=programme.touchpoint,
            severity=Severity.MEDIUM,
            by=by,
            opened_at=now,
        )
        opened.append(CorrectiveCase.objects.create(report=report, case=case))
    return opened


def _corrective_check(*, report: Report) -> int:
    """The earlier shops' open corrective cases at this location, checked by this shop: an item
    fixed when it now earns points, a low score fixed when this one reaches the threshold."""
    assignment = report.assignment
    pending = CorrectiveCase.objects.filter(
        checked_by__isnull=True,
        report__assignment__location=assignment.location,
        report__assignment__programme=assignment.programme,
    ).exclude(report=report)
    points = {a.item.code: a for a in report.answers.select_related("item")}
    checked = 0
    for corrective in pending:
        if corrective.item_code:
            answer = points.get(corrective.item_code)
            if answer is None or answer.points is None:
                continue  # not observed this time: the next shop checks it
            fixed = not answer.failed
        else:
            threshold = assignment.programme.case_threshold
            fixed = threshold is None or (report.score is not None and report.score >= threshold)
        CorrectiveCase.objects.filter(pk=corrective.pk).update(checked_by=report, fixed=fixed)
        checked += 1
    return checked
