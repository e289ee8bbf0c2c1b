from datetime import timedelta

from django.utils import timezone

from exceed.org.models import Membership
from exceed.standards.models import Acknowledgement, EntryStatus, PlaybookEntry


def test_an_associate_finds_late_delivery_and_reads_it_in_finnish(cast, playbook, client):
    client.force_login(cast.associate)
    client.post("/i18n/setlang/", {"language": "fi", "next": "/"})
    page = client.get("/standards/", {"q": "late delivery"}).content.decode()
    assert "Myöhästynyt toimitus" in page and "Loppuunmyyty" not in page
    answer = client.get(f"/standards/situations/{playbook.late.pk}/").content.decode()
    assert "Pyydä anteeksi" in answer and "Kerro uusi aika" in answer


def test_a_search_in_the_readers_language_finds_words_of_the_steps(cast, playbook, client):
    client.force_login(cast.associate)
    page = client.get("/standards/", {"q": "order"}).content.decode()
    assert "Out of stock" in page and "Late delivery" not in page


def test_acknowledging_from_the_situation_page(cast, playbook, client):
    client.force_login(cast.associate)
    path = f"/standards/situations/{playbook.late.pk}/"
    answer = client.post(
        f"/standards/entries/{playbook.late_phone.pk}/acknowledge/", {"version": playbook.late_v1.pk, "next": path}
    )
    assert answer.status_code == 302 and answer["Location"] == path
    assert Acknowledgement.objects.filter(person=cast.anders, version=playbook.late_v1).exists()
    assert "You have read this version" in client.get(path).content.decode()


def test_acknowledging_a_superseded_version_from_a_stale_page_says_so(cast, playbook, client):
    from exceed.standards import services
    from tests.standards.conftest import publish

    services.entry_update(entry=playbook.late_phone, steps={"en": "New steps"})
    publish(playbook.late_phone, note="New")
    client.force_login(cast.associate)
    answer = client.post(
        f"/standards/entries/{playbook.late_phone.pk}/acknowledge/", {"version": playbook.late_v1.pk}, follow=True
    )
    assert "has been replaced" in answer.content.decode()
    assert not Acknowledgement.objects.filter(person=cast.anders).exists()


def test_a_mystery_shopper_and_an_outsider_see_nothing_of_the_playbook(cast, playbook, client):
    for role in ("shopper", "outsider"):
        client.force_login(cast.roles[role])
        assert client.get("/standards/").status_code == 403
        assert client.get("/standards/charter/").status_code == 403
        assert client.get(f"/standards/entries/{playbook.late_phone.pk}/").status_code == 403


def test_an_associate_cannot_open_an_entry_for_another_store(cast, playbook, client):
    client.force_login(cast.associate)
    assert client.get(f"/standards/entries/{playbook.stock_store.pk}/").status_code == 404
    assert client.get("/standards/coverage/").status_code == 403
    assert client.get("/standards/manage/").status_code == 403


def test_an_old_version_page_shows_the_diff_to_the_next(cast, playbook, client):
    from exceed.standards import services
    from tests.standards.conftest import publish

    services.entry_update(entry=playbook.late_phone, steps={"en": "Say sorry\nGive a new time and a voucher"})
    publish(playbook.late_phone, note="Voucher")
    client.force_login(cast.manager)
    page = client.get(f"/standards/entries/{playbook.late_phone.pk}/versions/{playbook.late_v1.pk}/").content.decode()
    assert "Give a new time and a voucher" in page and 'class="del"' in page


def test_the_poster_carries_a_qr_code_of_the_situation_link(cast, playbook, client):
    client.force_login(cast.manager)
    page = client.get(f"/standards/situations/{playbook.late.pk}/poster/").content.decode()
    assert "<svg" in page and "Late delivery" in page


def test_the_owner_writes_reviews_and_publishes_an_entry_through_the_pages(cast, playbook, client):
    client.force_login(cast.owner)
    answer = client.post(
        "/standards/manage/entries/new/",
        {
            "situation": playbook.late.pk,
            "touchpoint": cast.in_store.pk,
            "owner": cast.owner.pk,
            "steps_en": "Phone them",
        },
    )
    entry = PlaybookEntry.objects.get(situation=playbook.late, touchpoint=cast.in_store)
    assert answer["Location"] == f"/standards/manage/entries/{entry.pk}/"
    client.post(f"/standards/manage/entries/{entry.pk}/submit/")
    client.post(f"/standards/manage/entries/{entry.pk}/publish/", {"change_note": ""})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED and entry.published_version.number == 1


def test_a_second_publication_without_a_change_note_shows_the_error_on_the_page(cast, playbook, client):
    client.force_login(cast.owner)
    entry = playbook.late_phone
    client.post(f"/standards/manage/entries/{entry.pk}/", {"steps_en": "Changed", "owner": cast.owner.pk})
    client.post(f"/standards/manage/entries/{entry.pk}/submit/")
    answer = client.post(f"/standards/manage/entries/{entry.pk}/publish/", {"change_note": ""})
    assert answer.status_code == 200
    assert "A new version needs a change note." in answer.content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.IN_REVIEW and entry.versions.count() == 1


def test_a_review_date_in_the_past_is_a_form_error_in_the_readers_language(cast, playbook, client):
    Membership.objects.filter(user=cast.owner).update(language="da")
    client.force_login(cast.owner)
    client.post("/i18n/setlang/", {"language": "da", "next": "/"})
    answer = client.post(
        "/standards/manage/entries/new/",
        {
            "situation": playbook.late.pk,
            "touchpoint": cast.in_store.pk,
            "steps_en": "Phone them",
            "review_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        },
    )
    assert answer.status_code == 200
    assert "Revisionsdatoen kan ikke ligge i fortiden." in answer.content.decode()
    assert not PlaybookEntry.objects.filter(touchpoint=cast.in_store, situation=playbook.late).exists()


def test_the_manager_sees_coverage_and_sends_a_reminder(cast, playbook, client, smtp_inbox):
    client.force_login(cast.manager)
    page = client.get("/standards/coverage/").content.decode()
    assert "Copenhagen" in page and "Paris" not in page and "0 %" in page
    answer = client.post("/standards/coverage/remind/", {"location": cast.cph.pk}, follow=True)
    assert "1 reminders sent" in answer.content.decode() or "reminder" in answer.content.decode()
    assert [m["To"] for m in smtp_inbox.messages] == ["anders@example.com"]


def test_a_manager_cannot_remind_a_store_outside_their_scope(cast, playbook, client, smtp_inbox):
    client.force_login(cast.manager)
    answer = client.post("/standards/coverage/remind/", {"location": cast.par.pk})
    assert answer.status_code == 200 and "field-error" in answer.content.decode()
    assert smtp_inbox.messages == []


def test_coverage_exports_as_csv_and_xlsx(cast, playbook, client):
    client.force_login(cast.regional)
    csv = client.get("/standards/coverage/export.csv").content.decode()
    assert csv.splitlines()[0].startswith("location,location_name,situation")
    assert "cph,Copenhagen,late-delivery,phone" in csv and "par" not in csv
    xlsx = client.get("/standards/coverage/export.xlsx")
    assert xlsx.content[:2] == b"PK"


def test_the_charter_page_reads_in_every_employees_language(cast, playbook, client):
    client.force_login(cast.associate)
    client.post("/i18n/setlang/", {"language": "fi", "next": "/"})
    assert "Tervetullut" in client.get("/standards/charter/").content.decode()


def test_the_owner_writes_and_publishes_the_charter_through_the_pages(cast, client):
    from exceed.standards.models import Charter

    client.force_login(cast.owner)
    answer = client.post("/standards/manage/charter/publish/", {"publish-change_note": ""}, follow=True)
    assert "at least one attribute" in answer.content.decode()
    client.post(
        "/standards/manage/charter/attributes/new/",
        {"code": "welcome", "position": 0, "name_en": "Welcome", "name_fi": "Tervetullut", "behaviours_en": "Smile"},
    )
    client.post("/standards/manage/charter/", {"statement_en": "Customers leave feeling welcome"})
    answer = client.post("/standards/manage/charter/publish/", {"publish-change_note": "First"}, follow=True)
    assert "Charter version 1 published." in answer.content.decode()
    charter = Charter.objects.get()
    assert charter.version == 1 and charter.versions.get().content["attributes"][0]["name"]["fi"] == "Tervetullut"
    client.force_login(cast.manager)
    page = client.get("/standards/charter/").content.decode()
    assert "Customers leave feeling welcome" in page and "Smile" in page


def test_a_charter_review_reminder_reaches_its_owner_once(cast, smtp_inbox):
    from exceed.standards.mail import review_reminders_send
    from exceed.standards.models import Charter
    from exceed.standards.services import charter_update

    charter_update(statement={"en": "Welcome"}, owner=cast.owner, review_on=timezone.localdate())
    assert review_reminders_send(now=timezone.now() + timedelta(days=1)) == 1
    assert review_reminders_send(now=timezone.now() + timedelta(days=1)) == 0
    assert "Experience charter" in smtp_inbox.text_of(smtp_inbox.messages[0])
    assert Charter.objects.get().review_reminded_for == timezone.localdate()


def test_not_read_yet_marks_only_what_the_readers_own_person_still_has_to_acknowledge(cast, playbook, client):
    from exceed.standards import services

    services.acknowledgement_create(user=cast.associate, version=playbook.late_v1)
    client.force_login(cast.associate)
    page = client.get("/standards/").content.decode()
    late, stock = page.index("Late delivery"), page.index("Out of stock")
    assert "Not read yet" not in page[late:stock] and "Not read yet" in page[stock:]
    # A manager without a person of their own has nothing waiting.
    client.force_login(cast.manager)
    assert "Not read yet" not in client.get("/standards/").content.decode()
