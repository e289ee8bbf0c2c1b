"""The shopper's side: the emailed sign-in link, the terms, claiming, the draft and the submit."""

import io
import re
from datetime import timedelta

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from exceed.mystery.models import Assignment, Evidence, ReportAnswer, Shopper
from exceed.mystery.services.assignments import assignments_generate
from exceed.mystery.services.reports import MAX_UPLOAD_BYTES
from exceed.mystery.services.shoppers import SIGNIN_SALT, shopper_invite
from tests.mystery.factories import programme


def _invite(cast, smtp_inbox, django_capture_on_commit_callbacks, language="en"):
    with django_capture_on_commit_callbacks(execute=True):
        shopper = shopper_invite(
            email="lea@example.com", name="Lea", by=cast.owner, language=language, known_at=[cast.aar]
        )
    message = smtp_inbox.messages[-1]
    link = re.search(r"http\S+/mystery/signin/\S+/", smtp_inbox.text_of(message)).group(0)
    return shopper, message, link.split("8000", 1)[-1] if "8000" in link else link


def test_an_invited_shopper_signs_in_once_with_the_emailed_link_and_accepts_the_terms(
    cast, client, smtp_inbox, django_capture_on_commit_callbacks
):
    shopper, message, path = _invite(cast, smtp_inbox, django_capture_on_commit_callbacks)
    assert message["To"] == "lea@example.com"
    # Opening the link (a mail scanner does too) signs nobody in; the button does.
    assert "Welcome, Lea" in client.get(path).content.decode()
    assert client.get("/mystery/shop/").status_code == 302
    assert client.post(path).status_code == 302
    page = client.get("/mystery/shop/").content.decode()
    assert "Terms for mystery shoppers" in page
    client.post("/mystery/shop/terms/", {"accept": "yes"})
    shopper.refresh_from_db()
    assert shopper.terms_accepted_at is not None and "ordinary customer" in shopper.terms_text
    client.logout()
    assert "used already" in client.get(path).content.decode()


def test_the_invitation_is_written_in_the_shoppers_language(cast, smtp_inbox, django_capture_on_commit_callbacks):
    _shopper, message, _path = _invite(cast, smtp_inbox, django_capture_on_commit_callbacks, language="da")
    assert message["Subject"] != "Your sign-in link for mystery shopping"


def test_an_expired_or_forged_sign_in_link_is_refused_with_a_clear_message(cast, client, settings):
    forged = client.get("/mystery/signin/abc/")
    assert forged.status_code == 400 and "not valid" in forged.content.decode()
    old = signing.TimestampSigner(salt=SIGNIN_SALT)
    token = signing.dumps({"u": cast.shopper.pk, "s": "never"}, salt=SIGNIN_SALT)
    assert old  # the signer's clock is the only way to age a token: compare at max_age 0
    settings_max = __import__("exceed.mystery.services.shoppers", fromlist=["x"])
    settings_max.SIGNIN_MAX_AGE, saved = timedelta(seconds=-1), settings_max.SIGNIN_MAX_AGE
    try:
        assert "expired" in client.get(f"/mystery/signin/{token}/").content.decode()
    finally:
        settings_max.SIGNIN_MAX_AGE = saved


def _signed_in_shopper(cast, client):
    shopper = Shopper.objects.create(
        user=cast.shopper, display_name="Sofie", terms_accepted_at=timezone.now(), terms_text="t"
    )
    client.force_login(cast.shopper)
    return shopper


def test_a_shopper_claims_saves_a_draft_and_a_bad_answer_keeps_the_draft(cast, client):
    prog = programme(cast)
    assignments_generate()
    shopper = _signed_in_shopper(cast, client)
    page = client.get("/mystery/shop/").content.decode()
    assert "Copenhagen" in page and "Claim this shop" in page
    assignment = Assignment.objects.filter(programme=prog, location=cast.cph).order_by("window_start").first()
    assert client.post(f"/mystery/shop/{assignment.pk}/claim/").status_code == 302
    assignment.refresh_from_db()
    assert assignment.shopper == shopper

    saved = client.post(f"/mystery/shop/{assignment.pk}/", {"action": "save", "v_asked": "4", "c_asked": "Asked twice"})
    assert saved.status_code == 302
    bad = client.post(f"/mystery/shop/{assignment.pk}/", {"action": "save", "v_asked": "7", "c_asked": "changed"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "takes a whole number from 1 to 5" in body and "changed" in body  # the input is shown again
    answer = ReportAnswer.objects.get(report__assignment=assignment, item__code="asked")
    assert (answer.value, answer.comment) == (4, "Asked twice")  # the stored draft is untouched

    incomplete = client.post(f"/mystery/shop/{assignment.pk}/", {"action": "submit", "v_asked": "4"})
    assert incomplete.status_code == 400
    assert "Please answer" in incomplete.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == "claimed"


def test_a_shopper_cannot_open_or_claim_someone_elses_shop(cast, client):
    from tests.mystery.factories import shopper as make_shopper

    prog = programme(cast)
    assignments_generate()
    other = make_shopper("Karl")
    taken = Assignment.objects.filter(programme=prog, location=cast.cph).first()
    from exceed.mystery.services.assignments import assignment_claim

    assignment_claim(assignment=taken, shopper=other)
    _signed_in_shopper(cast, client)
    assert client.get(f"/mystery/shop/{taken.pk}/").status_code == 404
    assert client.post(f"/mystery/shop/{taken.pk}/claim/").status_code == 404
    assert "Karl" not in client.get("/mystery/shop/").content.decode()


def test_the_owner_invites_a_shopper_from_the_shoppers_page_and_a_duplicate_is_refused(
    cast, client, smtp_inbox, django_capture_on_commit_callbacks
):
    client.force_login(cast.owner)
    assert client.get("/mystery/shoppers/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/mystery/shoppers/",
            {"name": "Lea", "email": "lea@example.com", "language": "fi", "known_at": [cast.aar.pk]},
        )
    assert answer.status_code == 302 and len(smtp_inbox.messages) == 1
    shopper = Shopper.objects.get(display_name="Lea")
    assert list(shopper.excluded_locations.all()) == [cast.aar] and shopper.language == "fi"
    again = client.post(
        "/mystery/shoppers/", {"name": "Lea", "email": "LEA@example.com", "language": "fi"}, follow=True
    )
    assert "has a login already" in again.content.decode()
    assert Shopper.objects.count() == 1


def test_a_paused_shopper_cannot_claim_and_the_owner_can_let_them_shop_again(cast, client):
    from tests.mystery.factories import shopper as make_shopper

    who = make_shopper("Karl")
    client.force_login(cast.owner)
    client.post(f"/mystery/shoppers/{who.pk}/active/", {"active": "0"})
    who.refresh_from_db()
    assert not who.active
    client.post(f"/mystery/shoppers/{who.pk}/active/", {"active": "1"})
    who.refresh_from_db()
    assert who.active


def test_the_owner_sends_a_shopper_a_new_sign_in_link_once_the_first_is_used(cast, client, smtp_inbox):
    from tests.mystery.factories import shopper as make_shopper

    who = make_shopper("Karl")
    client.force_login(cast.owner)
    client.post(f"/mystery/shoppers/{who.pk}/link/")
    message = smtp_inbox.messages[-1]
    assert message["To"] == who.user.email
    path = re.search(r"/mystery/signin/\S+/", smtp_inbox.text_of(message)).group(0)
    client.logout()
    assert client.post(path).status_code == 302
    client.get("/mystery/shop/")
    assert client.get("/mystery/shop/").status_code == 200


def _claimed_shop(cast, client):
    prog = programme(cast)
    assignments_generate()
    _signed_in_shopper(cast, client)
    assignment = Assignment.objects.filter(programme=prog, location=cast.cph).order_by("window_start").first()
    assert client.post(f"/mystery/shop/{assignment.pk}/claim/").status_code == 302
    return assignment


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 10)).save(out, format="JPEG")
    return out.getvalue()


def test_a_photo_uploaded_before_the_draft_was_ever_saved_keeps_every_answer_typed(cast, client):
    assignment = _claimed_shop(cast, client)
    photo = SimpleUploadedFile("till.jpg", _jpeg(), content_type="image/jpeg")
    answer = client.post(
        f"/mystery/shop/{assignment.pk}/",
        {"action": "upload", "v_asked": "4", "c_asked": "Asked twice", "narrative": "Busy till", "file": photo},
    )
    assert answer.status_code == 302 and answer["Location"].endswith("#evidence")
    stored = ReportAnswer.objects.get(report__assignment=assignment, item__code="asked")
    assert (stored.value, stored.comment) == (4, "Asked twice")
    assert stored.report.narrative == "Busy till" and stored.report.evidence.count() == 1
    page = client.get(f"/mystery/shop/{assignment.pk}/").content.decode()
    assert "Asked twice" in page and "Photo added." in page


def test_the_former_upload_address_saves_the_answers_sent_with_the_file_too(cast, client):
    assignment = _claimed_shop(cast, client)
    photo = SimpleUploadedFile("till.jpg", _jpeg(), content_type="image/jpeg")
    sent = client.post(f"/mystery/shop/{assignment.pk}/evidence/", {"c_asked": "Smiled", "file": photo})
    assert sent.status_code == 302
    assert ReportAnswer.objects.get(report__assignment=assignment, item__code="asked").comment == "Smiled"


def test_a_page_from_before_posting_the_file_alone_to_the_former_address_keeps_the_draft(cast, client):
    """Its upload form sent only the file: the draft saved before must not be blanked by it."""
    assignment = _claimed_shop(cast, client)
    client.post(f"/mystery/shop/{assignment.pk}/", {"action": "save", "v_asked": "4", "narrative": "Busy till"})
    photo = SimpleUploadedFile("till.jpg", _jpeg(), content_type="image/jpeg")
    sent = client.post(f"/mystery/shop/{assignment.pk}/evidence/", {"file": photo, "is_receipt": "1"})
    assert sent.status_code == 302 and sent["Location"].endswith("#evidence")
    stored = ReportAnswer.objects.get(report__assignment=assignment, item__code="asked")
    assert (stored.value, stored.report.narrative) == (4, "Busy till")
    assert stored.report.evidence.get().is_receipt


def test_numbers_that_are_not_finite_and_a_tampered_person_are_form_errors_not_server_errors(cast, client):
    assignment = _claimed_shop(cast, client)
    for value in ("nan", "inf", "1e999"):
        answer = client.post(
            f"/mystery/shop/{assignment.pk}/",
            {"action": "save", "return_likelihood": value, "v_asked": "4", "person": "9" * 30},
        )
        assert answer.status_code == 400, value
        assert "Please give a number." in answer.content.decode()


def test_a_refused_file_keeps_every_typed_answer_and_says_why_in_the_shoppers_language(cast, client):
    assignment = _claimed_shop(cast, client)
    typed = {"action": "upload", "v_asked": "4", "c_asked": "Spurgte to gange", "narrative": "Travlt"}
    wrong_type = client.post(
        f"/mystery/shop/{assignment.pk}/",
        {**typed, "file": SimpleUploadedFile("notes.txt", b"not a photo", content_type="text/plain")},
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert wrong_type.status_code == 400
    body = wrong_type.content.decode()
    assert "Upload et foto (JPEG, PNG eller WebP) eller en PDF." in body
    assert "Spurgte to gange" in body and "Travlt" in body  # shown again
    stored = ReportAnswer.objects.get(report__assignment=assignment, item__code="asked")
    assert (stored.value, stored.comment, stored.report.narrative) == (4, "Spurgte to gange", "Travlt")
    assert stored.report.evidence.count() == 0

    too_large = client.post(
        f"/mystery/shop/{assignment.pk}/",
        {**typed, "c_asked": "Tre gange", "file": SimpleUploadedFile("big.jpg", b"\xff" * (MAX_UPLOAD_BYTES + 1))},
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert too_large.status_code == 400
    assert "Filen er for stor; grænsen er 8 MB." in too_large.content.decode()
    assert ReportAnswer.objects.get(report__assignment=assignment, item__code="asked").comment == "Tre gange"


def test_a_file_sent_with_a_bad_answer_is_not_added_and_the_shopper_is_told_to_choose_it_again(cast, client):
    assignment = _claimed_shop(cast, client)
    photo = SimpleUploadedFile("till.jpg", _jpeg(), content_type="image/jpeg")
    bad = client.post(
        f"/mystery/shop/{assignment.pk}/", {"action": "upload", "v_asked": "7", "c_asked": "x", "file": photo}
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "takes a whole number from 1 to 5" in body and "choose it again" in body
    assert not Evidence.objects.filter(report__assignment=assignment).exists()
