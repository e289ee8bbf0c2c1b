"""Photos and receipts: type and size checked, location data stripped, a re-used photo flagged,
and every file deleted after the programme's evidence period."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from exceed.errors import DomainError
from exceed.mystery.models import Evidence
from exceed.mystery.services.assignments import assignment_claim
from exceed.mystery.services.reports import MAX_UPLOAD_BYTES, evidence_add, evidence_expire
from tests.mystery.factories import NOW, december, programme, receipt_pdf, shopper

GPS_IFD = 0x8825


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS_IFD] = {1: "N", 2: (55.0, 40.0, 0.0), 3: "E", 4: (12.0, 34.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def claimed(cast):
    who = shopper()
    assignment = december(programme(cast), cast.cph)
    assignment_claim(assignment=assignment, shopper=who, now=NOW)
    return assignment, who


def test_a_photo_is_stored_without_its_location_data(claimed):
    assignment, who = claimed
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    evidence = evidence_add(assignment=assignment, shopper=who, name="till.jpg", data=original)
    with evidence.file.open("rb") as stored:
        kept = Image.open(io.BytesIO(stored.read()))
        assert kept.format == "JPEG" and kept.size == (40, 30)
        assert not kept.getexif().get_ifd(GPS_IFD) and 0x010F not in kept.getexif()
    assert evidence.content_type == "image/jpeg" and not evidence.reused


def test_the_same_photo_on_another_report_is_flagged_by_its_hash(cast, claimed):
    assignment, who = claimed
    photo = _jpeg_with_gps()
    evidence_add(assignment=assignment, shopper=who, name="a.jpg", data=photo)
    other = december(assignment.programme, cast.aar)
    assignment_claim(assignment=other, shopper=who, now=NOW)
    second = evidence_add(assignment=other, shopper=who, name="b.jpg", data=photo)
    assert second.reused and second.report.reused_photo is False  # the flag is set in the database
    second.report.refresh_from_db()
    assert second.report.reused_photo


def test_a_file_that_is_not_an_image_or_pdf_or_too_large_is_refused(claimed):
    assignment, who = claimed
    with pytest.raises(DomainError, match="JPEG, PNG or WebP"):
        evidence_add(assignment=assignment, shopper=who, name="x.exe", data=b"MZ\x90\x00 not an image")
    with pytest.raises(DomainError, match="8 MB"):
        evidence_add(assignment=assignment, shopper=who, name="big.pdf", data=b"%PDF-" + b"0" * MAX_UPLOAD_BYTES)
    receipt = evidence_add(assignment=assignment, shopper=who, name="r.pdf", data=receipt_pdf(), is_receipt=True)
    assert receipt.content_type == "application/pdf" and receipt.is_receipt
    assert Evidence.objects.count() == 1


def test_evidence_files_are_deleted_after_the_programmes_period_and_not_before(claimed):
    assignment, who = claimed
    evidence = evidence_add(assignment=assignment, shopper=who, name="a.jpg", data=_jpeg_with_gps())
    path = evidence.file.path
    assert evidence_expire(now=timezone.now() + timedelta(days=59)) == 0
    assert evidence_expire(now=timezone.now() + timedelta(days=61)) == 1
    evidence.refresh_from_db()
    assert evidence.expired_at is not None and not evidence.file
    import os

    assert not os.path.exists(path)
    assert evidence_expire(now=timezone.now() + timedelta(days=90)) == 0


def test_only_the_owner_opens_a_photo_and_only_until_it_expires(cast, client, claimed):
    assignment, who = claimed
    evidence = evidence_add(assignment=assignment, shopper=who, name="a.jpg", data=_jpeg_with_gps())
    for user in (cast.manager, cast.associate, cast.shopper):
        client.force_login(user)
        assert client.get(f"/mystery/evidence/{evidence.pk}/").status_code == 403
    client.force_login(cast.owner)
    answer = client.get(f"/mystery/evidence/{evidence.pk}/")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    evidence_expire(now=timezone.now() + timedelta(days=61))
    assert client.get(f"/mystery/evidence/{evidence.pk}/").status_code == 404


def _pdf_with_metadata() -> bytes:
    """A one-page receipt PDF with an author, a creator, XMP naming the shopper and a photo whose
    EXIF holds the camera and a GPS position."""
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, StreamObject

    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(_jpeg_with_gps()), x=10, y=10, w=40)
    pdf.set_author("Lea Shopper")
    pdf.set_creator("PhoneScan")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(pdf.output()))))
    xmp = StreamObject()
    xmp.set_data(
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b"<dc:creator>Lea Shopper</dc:creator></x:xmpmeta>"
    )
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_receipt_is_stored_without_its_author_creator_xmp_or_the_gps_of_its_photo(claimed):
    from pypdf import PdfReader

    assignment, who = claimed
    original = _pdf_with_metadata()
    before = PdfReader(io.BytesIO(original))
    assert before.metadata["/Author"] == "Lea Shopper" and "/Metadata" in before.trailer["/Root"]
    assert b"PhoneMaker" in original  # the embedded photo's EXIF
    evidence = evidence_add(assignment=assignment, shopper=who, name="receipt.pdf", data=original, is_receipt=True)
    with evidence.file.open("rb") as stored:
        kept = stored.read()
    after = PdfReader(io.BytesIO(kept))
    assert after.metadata is None and "/Metadata" not in after.trailer["/Root"]
    assert len(after.pages) == 1 and after.pages[0].images[0].image.size == (40, 30)
    for trace in (b"Lea Shopper", b"PhoneScan", b"PhoneMaker", b"Exif"):
        assert trace not in kept
    assert evidence.content_type == "application/pdf" and evidence.size == len(kept) < len(original)


def test_the_same_pdf_on_another_report_is_flagged_by_the_hash_of_what_the_shopper_sent(cast, claimed):
    import hashlib

    assignment, who = claimed
    receipt = _pdf_with_metadata()
    first = evidence_add(assignment=assignment, shopper=who, name="a.pdf", data=receipt)
    assert first.sha256 == hashlib.sha256(receipt).hexdigest() and not first.reused
    other = december(assignment.programme, cast.aar)
    assignment_claim(assignment=other, shopper=who, now=NOW)
    assert evidence_add(assignment=other, shopper=who, name="b.pdf", data=receipt).reused


def test_a_broken_pdf_is_refused_with_a_clear_error_and_the_draft_is_kept(claimed, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from exceed.mystery.models import ReportAnswer

    assignment, who = claimed
    broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"
    with pytest.raises(DomainError) as refused:
        evidence_add(assignment=assignment, shopper=who, name="r.pdf", data=broken)
    assert refused.value.field == "file" and "cannot be read" in refused.value.message

    client.force_login(who.user)
    answer = client.post(
        f"/mystery/shop/{assignment.pk}/",
        {"action": "upload", "c_asked": "Asked twice", "file": SimpleUploadedFile("r.pdf", broken)},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert answer.status_code == 400
    assert "Ce PDF est illisible" in answer.content.decode()
    assert ReportAnswer.objects.get(report__assignment=assignment, item__code="asked").comment == "Asked twice"
    assert not Evidence.objects.filter(report__assignment=assignment).exists()
