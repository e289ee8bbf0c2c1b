"""The shopper's report: saved as a draft while filling, checked in full on submit, photos and
receipts checked, stripped of location data and hashed so a re-used photo shows."""

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exceed.core.measures import RETURN_SCALE, Outcome
from exceed.errors import DomainError
from exceed.mystery.models import (
    Assignment,
    AssignmentStatus,
    AuditEntry,
    Evidence,
    Item,
    LocationPolicy,
    Report,
    ReportAnswer,
    ReportPerson,
    ReportSectionScore,
    Shopper,
)
from exceed.mystery.rhythm import within_windows
from exceed.mystery.scoring import ShopScore, answer_points, shop_score
from exceed.mystery.services.scorecards import scorecard_current
from exceed.mystery.workflow import ASSIGNMENT_WORKFLOW
from exceed.org.models import Person

S = AssignmentStatus
EDITABLE = (S.CLAIMED, S.RETURNED)
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
# A phone's clock may run a little ahead of the server's.
FUTURE_SLACK = timedelta(minutes=10)
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


@dataclass
class AnswerInput:
    value: float | None = None
    not_applicable: bool = False
    comment: str = ""
    text: str = ""


def audit(*, assignment: Assignment, action: str, by=None, at: datetime | None = None, **detail) -> None:
    AuditEntry.objects.create(assignment=assignment, action=action, by=by, at=at or timezone.now(), detail=detail)


def _editable(assignment: Assignment, shopper: Shopper) -> None:
    if assignment.shopper_id != shopper.pk:
        raise DomainError(_("This is not your shop."), field="assignment", status=404)
    if assignment.status == S.SUBMITTED:
        raise DomainError(_("This report has been submitted already."), field="assignment", status=409)
    if assignment.status not in EDITABLE:
        raise DomainError(_("This report can no longer be changed."), field="assignment", status=409)


def report_for(*, assignment: Assignment, shopper: Shopper) -> Report:
    """The shop's report, created on first use against the scorecard's version of that moment:
    a later edit of the scorecard makes a new version, and this report keeps its own."""
    report = Report.objects.filter(assignment=assignment).first()
    if report is None:
        report = Report.objects.create(
            assignment=assignment,
            shopper=shopper,
            version=scorecard_current(assignment.programme.scorecard),
            language=shopper.language,
        )
    return report


def _named_allowed(person: Person, location_id: int) -> bool:
    """A report names staff only where the location allows it and the person acknowledged that
    stores are shopped (issue 10 §5); elsewhere it describes the behaviour."""
    policy = LocationPolicy.objects.filter(location_id=location_id).first()
    if policy is None or not policy.staff_may_be_named:
        return False
    from exceed.mystery.notice import notice_acknowledged

    return notice_acknowledged(person)


@transaction.atomic
def report_save(
    *,
    assignment: Assignment,
    shopper: Shopper,
    answers: dict[str, AnswerInput],
    time_in: datetime | None = None,
    time_out: datetime | None = None,
    narrative: str = "",
    return_likelihood: int | None = None,
    expectation: int | None = None,
    expenses=None,
    people: list[dict] | None = None,
    now: datetime | None = None,
) -> Report:
    """Save the draft; each value given is checked (range, N/A) and a bad one refuses the whole
    save, so the stored draft stays as it was and the form shows the error beside the input."""
    _editable(assignment, shopper)
    report = report_for(assignment=assignment, shopper=shopper)
    items = {item.code: item for item in Item.objects.filter(section__version=report.version).select_related("section")}
    # One read of the stored answers, then one insert and one update, not a round trip per item.
    stored = {answer.item_id: answer for answer in report.answers.all()}
    fresh, changed = [], []
    for code, given in answers.items():
        item = items.get(code)
        if item is None:
            raise DomainError(_("Unknown item: %(code)s") % {"code": code}, field=code)
        points = answer_points(item, given.value, not_applicable=given.not_applicable)
        answer = stored.get(item.pk) or ReportAnswer(report=report, item=item)
        answer.value = None if given.not_applicable else given.value
        answer.not_applicable, answer.points = given.not_applicable, points
        answer.comment, answer.text = given.comment.strip(), given.text.strip()
        (changed if answer.pk else fresh).append(answer)
    ReportAnswer.objects.bulk_create(fresh)
    ReportAnswer.objects.bulk_update(changed, ["value", "not_applicable", "points", "comment", "text"])
    if return_likelihood is not None and not RETURN_SCALE[0] <= return_likelihood <= RETURN_SCALE[1]:
        raise DomainError(_("How likely you are to come back takes 0 to 10."), field="return_likelihood")
    if expectation is not None and expectation not in Outcome.WORDS:
        raise DomainError(_("Please say whether your expectations were exceeded, met or not met."), field="expectation")
    if time_in and time_out and time_out <= time_in:
        raise DomainError(_("The time out must be after the time in."), field="time_out")
    report.time_in, report.time_out, report.narrative = time_in, time_out, narrative.strip()
    report.return_likelihood, report.expectation = return_likelihood, expectation
    report.expenses = _expenses(expenses)
    if time_in:
        report.visit_date = time_in.astimezone(assignment.location.zone).date()
    report.save()
    if people is not None:
        _people_set(report=report, assignment=assignment, people=people)
    audit(assignment=assignment, action="draft_saved", by=shopper.user, at=now)
    return report


def _expenses(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Please give the amount spent, e.g. 12.50."), field="expenses") from None
    if amount < 0:
        raise DomainError(_("The amount spent cannot be negative."), field="expenses")
    return amount


def _people_set(*, report: Report, assignment: Assignment, people: list[dict]) -> None:
    report.people.all().delete()
    for entry in people:
        person_id, description = entry.get("person_id"), (entry.get("description") or "").strip()[:300]
        person = None
        if person_id:
            person = Person.objects.filter(pk=person_id, locations=assignment.location_id, active=True).first()
            if person is None:
                raise DomainError(_("Please choose someone who works at this store."), field="people")
            if not _named_allowed(person, assignment.location_id):
                # Not named: the behaviour is what the report keeps.
                person = None
                if not description:
                    raise DomainError(
                        _("Staff at this store are not named in reports; please describe the person instead."),
                        field="people",
                    )
        if person or description:
            ReportPerson.objects.create(report=report, person=person, description=description)


def report_problems(report: Report, *, now: datetime | None = None) -> list[tuple[str, str]]:
    """What a submit still needs, as (field, message); empty when the report is complete."""
    problems = []
    answered = {a.item_id: a for a in report.answers.all()}
    items = Item.objects.filter(section__version=report.version).select_related("section")
    for item in items:
        answer = answered.get(item.pk)
        given = answer is not None and (answer.not_applicable or answer.value is not None or answer.text)
        if item.required and not given:
            problems.append((item.code, _("Please answer “%(item)s”.") % {"item": item}))
    if report.time_in is None or report.time_out is None:
        problems.append(("time_in", _("Please give the times you went in and came out.")))
    elif report.time_in > (now or timezone.now()) + FUTURE_SLACK:
        problems.append(("time_in", _("The visit cannot be in the future.")))
    elif not within_windows(report.time_in, report.assignment.windows, report.assignment.location.zone):
        problems.append(("time_in", _("The visit was outside the programme's visit windows (store time).")))
    elif not report.assignment.window_start <= report.time_in < report.assignment.window_end:
        problems.append(("time_in", _("The visit was outside this shop's period.")))
    if report.return_likelihood is None:
        problems.append(("return_likelihood", _("Please say how likely you are to come back.")))
    if report.expectation is None:
        problems.append(("expectation", _("Please say whether your expectations were exceeded, met or not met.")))
    return problems


def report_score_store(report: Report) -> ShopScore:
    """Compute the report's score from its answers' points and store it with its sections."""
    answers = list(report.answers.select_related("item__section"))
    result = shop_score(report.version.scorecard, [(a.item, a.points) for a in answers])
    report.score, report.score_low, report.score_high = result.overall.value, result.overall.low, result.overall.high
    report.score_n, report.failed_critical = result.overall.n, result.failed_critical
    report.save(update_fields=["score", "score_low", "score_high", "score_n", "failed_critical", "updated_at"])
    sections = {s.code: s for s in report.version.sections.all()}
    report.section_scores.all().delete()
    ReportSectionScore.objects.bulk_create(
        ReportSectionScore(report=report, section=sections[code], code=code, score=figure.value, n=figure.n)
        for code, figure in result.sections.items()
    )
    return result


@transaction.atomic
def report_submit(*, assignment: Assignment, shopper: Shopper, now: datetime | None = None) -> Report:
    """Check every required answer, score the report and hand it to the reviewer."""
    now = now or timezone.now()
    _editable(assignment, shopper)
    report = Report.objects.filter(assignment=assignment).first()
    if report is None:
        raise DomainError(_("Please fill in the report first."), field="assignment")
    problems = report_problems(report, now=now)
    if problems:
        field, message = problems[0]
        raise DomainError(message, field=field, extra={"problems": [{"field": f, "detail": m} for f, m in problems]})
    report_score_store(report)
    ASSIGNMENT_WORKFLOW.move(assignment, S.SUBMITTED, by=shopper.user, at=now)
    Report.objects.filter(pk=report.pk).update(submitted_at=now)
    report.submitted_at = now
    return report


def _clean_image(data: bytes) -> tuple[bytes, str] | None:
    """The image re-encoded without its metadata (EXIF: GPS position, camera), turned upright; None
    when the bytes are not an image Pillow reads."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            if image_format not in IMAGE_FORMATS:
                return None
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            # Saving without ``exif=`` or ``pnginfo=`` writes none of the original's metadata.
            if image_format == "JPEG":
                upright.convert("RGB").save(out, format="JPEG", quality=88)
            else:
                upright.save(out, format=image_format)
            return out.getvalue(), IMAGE_FORMATS[image_format]
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


# JPEG segments that carry a camera's metadata (EXIF with GPS, XMP, Photoshop/IPTC); APP0 (JFIF),
# APP2 (the colour profile) and APP14 (Adobe colour transform) change how the image looks and stay.
_JPEG_METADATA_SEGMENTS = {0xE1, 0xED}


def _jpeg_without_metadata(data: bytes) -> bytes:
    """The JPEG's bytes with its EXIF/XMP/IPTC segments cut out, the image data untouched (a
    receipt scan inside a PDF is not re-encoded); the bytes unchanged when they are not a JPEG."""
    if data[:2] != b"\xff\xd8":
        return data
    out, at = bytearray(b"\xff\xd8"), 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            break
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if marker not in _JPEG_METADATA_SEGMENTS:
            out += data[at : at + 2 + length]
        at += 2 + length
    return bytes(out + data[at:])


def _clean_pdf(data: bytes) -> bytes:
    """The PDF rewritten page by page into a new file: no document information (/Info: author,
    creator, producer, dates), no XMP (the catalogue's and the pages' /Metadata), no private
    application data, and embedded JPEGs without their EXIF (a phone's GPS position). A PDF pypdf
    cannot read, or an encrypted one, is refused: it could not be cleaned, nor shown to a reviewer."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    refused = DomainError(
        _("This PDF cannot be read; please upload the receipt again or take a photo of it."), field="file", status=415
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted or not reader.pages:
            raise refused
        writer = PdfWriter()
        writer.metadata = None  # not even pypdf's own /Producer
        for page in reader.pages:
            added = writer.add_page(page)
            for key in ("/Metadata", "/PieceInfo"):
                if key in added:
                    del added[NameObject(key)]
        for obj in writer._objects:
            stream = obj.get_object() if obj is not None else None
            if stream is None or not hasattr(stream, "get_data"):
                continue
            if "/Metadata" in stream:
                del stream[NameObject("/Metadata")]
            if stream.get("/Subtype") == "/Metadata":
                stream.set_data(b"")
            elif stream.get("/Subtype") == "/Image" and stream.get("/Filter") == "/DCTDecode":
                stream._data = _jpeg_without_metadata(stream._data)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except DomainError:
        raise
    except Exception:  # pypdf raises many kinds on damaged files (PdfReadError, KeyError, ValueError…)
        raise refused from None


@transaction.atomic
def evidence_add(
    *,
    assignment: Assignment,
    shopper: Shopper,
    name: str,
    data: bytes,
    is_receipt: bool = False,
    now: datetime | None = None,
) -> Evidence:
    """Store a photo (JPEG, PNG, WebP) or a PDF receipt; a photo loses its location data, a PDF its
    author, creator and XMP."""
    now = now or timezone.now()
    _editable(assignment, shopper)
    if not data:
        raise DomainError(_("The file is empty."), field="file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(_("The file is too large; the limit is 8 MB."), field="file", status=413)
    # The hash is of the original bytes, as the shopper sent them: the same file sent again is what
    # a re-used photo or receipt is, and the cleaned bytes depend on Pillow's and pypdf's versions,
    # so a hash of them would stop matching older uploads after an upgrade.
    digest = hashlib.sha256(data).hexdigest()
    if data[:5] == b"%PDF-":
        stored, content_type = _clean_pdf(data), "application/pdf"
    else:
        cleaned = _clean_image(data)
        if cleaned is None:
            raise DomainError(_("Please upload a photo (JPEG, PNG or WebP) or a PDF."), field="file", status=415)
        stored, content_type = cleaned
    report = report_for(assignment=assignment, shopper=shopper)
    reused = Evidence.objects.filter(sha256=digest).exclude(report=report).exists()
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}[content_type]
    evidence = Evidence(
        report=report,
        content_type=content_type,
        size=len(stored),
        sha256=digest,
        is_receipt=is_receipt,
        reused=reused,
        uploaded_at=now,
    )
    evidence.file.save(f"{digest[:16]}.{extension}", ContentFile(stored), save=False)
    evidence.save()
    if reused and not report.reused_photo:
        Report.objects.filter(pk=report.pk).update(reused_photo=True)
    audit(assignment=assignment, action="evidence_added", by=shopper.user, at=now, reused=reused, name=name[:120])
    return evidence


def evidence_expire(*, now: datetime | None = None) -> int:
    """Delete the files of evidence older than its programme's period (periodic work); the row
    stays as a record that there was evidence, with its hash."""
    now = now or timezone.now()
    expired = 0
    for evidence in Evidence.objects.filter(expired_at__isnull=True).select_related("report__assignment__programme"):
        days = evidence.report.assignment.programme.evidence_days
        if evidence.uploaded_at + timedelta(days=days) > now:
            continue
        with transaction.atomic():
            if not Evidence.objects.filter(pk=evidence.pk, expired_at__isnull=True).update(expired_at=now):
                continue
            if evidence.file:
                evidence.file.delete(save=False)
            Evidence.objects.filter(pk=evidence.pk).update(file="")
            expired += 1
    return expired
