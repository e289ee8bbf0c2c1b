"""The organisation's pages: stores, regions, people and touchpoints, run by the owner and, in
their regions, by a regional manager (issue 8, item 1)."""

import pytest

from exceed.feedback.models import Channel, ChannelKind, Survey
from exceed.org.models import Location, Person, Region, Touchpoint
from exceed.org.services import location_create


def _error_on(answer, field: str) -> bool:
    """Whether the form row of ``field`` carries an error message."""
    row = (
        answer.content.decode()
        .split(f'data-field="{field}"', 1)[1]
        .split('<div class="form-row"', 1)[0]
        .split("</form>", 1)[0]
    )
    return 'class="field-error"' in row


def _store(**changes) -> dict:
    values = {
        "code": "odense",
        "name": "Odense",
        "region": None,
        "timezone": "Europe/Copenhagen",
        "default_language": "da",
        "address": "Vestergade 1",
    }
    return {**values, **changes}


# --- Stores --------------------------------------------------------------------------------------


def test_an_owner_adds_a_store_which_gets_its_survey_link_and_poster_at_once(cast, client):
    client.force_login(cast.owner)
    answer = client.post("/stores/new/", _store(region=cast.north.pk))
    assert answer.status_code == 302, answer.content.decode()

    odense = Location.objects.get(code="odense")
    assert (odense.name, odense.region, odense.timezone, odense.default_language, odense.active) == (
        "Odense",
        cast.north,
        "Europe/Copenhagen",
        "da",
        True,
    )
    link = Channel.objects.get(location=odense)
    assert link.kind == ChannelKind.LINK and link.survey == cast.survey and link.touchpoint == cast.in_store

    page = client.get(answer["Location"]).content.decode()
    assert f"/channels/{link.slug}/poster/" in page
    assert client.get(f"/channels/{link.slug}/poster/").status_code == 200


def test_a_new_store_keeps_the_coordinates_typed_on_its_page(cast, client):
    client.force_login(cast.owner)
    answer = client.post("/stores/new/", _store(region=cast.north.pk, latitude="55.3826", longitude="10.4343"))
    assert answer.status_code == 302, answer.content.decode()
    odense = Location.objects.get(code="odense")
    assert (odense.latitude, odense.longitude) == (55.3826, 10.4343)


def test_coordinates_out_of_range_are_refused_by_the_service_naming_the_field(cast):
    from exceed.errors import DomainError

    with pytest.raises(DomainError) as refused:
        location_create(code="pole", name="Pole", region=cast.north, latitude=91.0, longitude=0.0)
    assert refused.value.field == "latitude"
    assert not Location.objects.filter(code="pole").exists()


def test_a_store_created_by_the_service_in_an_empty_installation_gets_the_visit_survey(db):
    Survey.objects.all().delete()
    location = location_create(code="first", name="First", region=Region.objects.create(code="r", name="R"))
    assert Channel.objects.get(location=location).survey.slug == "visit"


def test_a_store_code_that_exists_is_a_french_form_error_naming_the_code_and_nothing_is_stored(cast, client):
    client.force_login(cast.owner)
    client.post("/i18n/setlang/", {"language": "fr"})
    channels = Channel.objects.count()
    answer = client.post("/stores/new/", _store(code="cph", name="Copenhague bis", region=cast.north.pk))
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Un magasin avec le code cph existe déjà." in page
    assert _error_on(answer, "code")
    assert Location.objects.filter(code="cph").get().name == "Copenhagen" and Channel.objects.count() == channels


def test_a_failing_link_rolls_the_new_store_back(cast, client, monkeypatch):
    from exceed.feedback import receivers

    def broken(**kwargs):
        raise RuntimeError("the link could not be made")

    monkeypatch.setattr(receivers, "channel_create", broken)
    with pytest.raises(RuntimeError):
        location_create(code="odense", name="Odense", region=cast.north)
    assert not Location.objects.filter(code="odense").exists()


def test_an_owner_deactivates_a_store_and_it_stays_with_its_history(cast, client):
    client.force_login(cast.owner)
    answer = client.post(
        "/stores/par/",
        {
            "name": "Paris Opéra",
            "region": cast.south.pk,
            "timezone": "Europe/Paris",
            "default_language": "fr",
            "address": "",
        },
    )
    assert answer.status_code == 302
    cast.par.refresh_from_db()
    assert cast.par.name == "Paris Opéra" and not cast.par.active
    assert "Paris Opéra" in client.get("/stores/").content.decode()


def test_a_regional_manager_adds_a_store_in_their_region_but_not_in_another(cast, client):
    client.force_login(cast.regional)
    assert client.post("/stores/new/", _store(region=cast.north.pk)).status_code == 302
    refused = client.post("/stores/new/", _store(code="lyon", name="Lyon", region=cast.south.pk))
    assert refused.status_code == 200 and _error_on(refused, "region")
    assert not Location.objects.filter(code="lyon").exists()


def test_a_regional_manager_neither_sees_nor_edits_paris(cast, client):
    client.force_login(cast.regional)
    page = client.get("/stores/").content.decode()
    assert "Copenhagen" in page and "Aarhus" in page and "Paris" not in page
    assert client.get("/stores/par/").status_code == 404
    assert (
        client.post(
            "/stores/par/",
            {"name": "Hacked", "region": cast.north.pk, "timezone": "UTC", "default_language": "en", "active": "on"},
        ).status_code
        == 404
    )
    # Nor move Aarhus into the South.
    client.post(
        "/stores/aar/",
        {"name": "Aarhus", "region": cast.south.pk, "timezone": "UTC", "default_language": "en", "active": "on"},
    )
    cast.par.refresh_from_db()
    cast.aar.refresh_from_db()
    assert cast.par.name == "Paris" and cast.aar.region == cast.north


@pytest.mark.parametrize("role", ["manager", "associate", "shopper", "outsider"])
def test_the_organisation_pages_are_refused_to_everyone_below_a_regional_manager(role, cast, client):
    client.force_login(cast.roles[role])
    for url in (
        "/stores/",
        "/stores/new/",
        "/stores/cph/",
        "/people/",
        "/people/new/",
        f"/people/{cast.birgitte.pk}/",
        "/touchpoints/",
        "/regions/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/stores/cph/", {"name": "Renamed"}).status_code == 403
    assert Location.objects.get(code="cph").name == "Copenhagen"


def test_the_navigation_offers_stores_and_people_to_a_regional_manager_and_touchpoints_to_the_owner(cast, client):
    client.force_login(cast.regional)
    page = client.get("/stores/").content.decode()
    assert 'href="/people/"' in page and 'href="/touchpoints/"' not in page
    client.force_login(cast.owner)
    page = client.get("/stores/").content.decode()
    assert 'href="/people/"' in page and 'href="/touchpoints/"' in page and 'href="/regions/"' in page
    client.force_login(cast.manager)
    assert 'href="/stores/"' not in client.get("/responses/").content.decode()


def test_the_stores_table_scrolls_inside_itself_on_a_phone(cast, client):
    client.force_login(cast.owner)
    page = client.get("/stores/").content.decode()
    assert page.index('<div class="table-scroll"') < page.index("<table>")


# --- Regions -------------------------------------------------------------------------------------


def test_an_owner_adds_and_renames_a_region(cast, client):
    client.force_login(cast.owner)
    assert client.post("/regions/", {"code": "west", "name": "West"}).status_code == 302
    west = Region.objects.get(code="west")
    assert client.post(f"/regions/{west.pk}/", {"name": "West coast"}).status_code == 302
    west.refresh_from_db()
    assert west.name == "West coast"
    again = client.post("/regions/", {"code": "west", "name": "Other"})
    assert again.status_code == 200 and "A region with the code west exists already." in again.content.decode()


def test_a_regional_manager_cannot_manage_regions(cast, client):
    client.force_login(cast.regional)
    assert client.get("/regions/").status_code == 403
    assert client.post(f"/regions/{cast.south.pk}/", {"name": "Mine"}).status_code == 403
    cast.south.refresh_from_db()
    assert cast.south.name == "South"


# --- People --------------------------------------------------------------------------------------


def test_an_owner_adds_an_employee_with_home_stores_and_deactivates_them_later(cast, client):
    client.force_login(cast.owner)
    answer = client.post(
        "/people/new/",
        {
            "name": "Jonas Berg",
            "locations": [cast.cph.pk, cast.aar.pk],
            "job_role": "Cashier",
            "external_ref": "CPH-099",
            "email": "jonas@example.com",
        },
    )
    assert answer.status_code == 302, answer.content.decode()
    jonas = Person.objects.get(external_ref="CPH-099")
    assert set(jonas.locations.all()) == {cast.cph, cast.aar} and jonas.job_role == "Cashier" and jonas.active

    data = {
        "name": "Jonas Berg",
        "locations": [cast.cph.pk],
        "job_role": "Cashier",
        "external_ref": "CPH-099",
        "email": "",
    }
    assert client.post(f"/people/{jonas.pk}/", data).status_code == 302
    jonas.refresh_from_db()
    assert not jonas.active and list(jonas.locations.all()) == [cast.cph]
    assert "Jonas Berg" in client.get("/people/").content.decode()


def test_an_employee_at_no_store_is_a_danish_form_error_and_nothing_is_stored(cast, client):
    client.force_login(cast.owner)
    client.post("/i18n/setlang/", {"language": "da"})
    answer = client.post("/people/new/", {"name": "Jonas Berg", "job_role": "Cashier"})
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Vælg mindst én butik." in page and _error_on(answer, "locations")
    assert not Person.objects.filter(name="Jonas Berg").exists()


def test_an_employee_number_that_exists_is_a_form_error_on_that_field(cast, client):
    Person.objects.filter(pk=cast.claire.pk).update(external_ref="E-1")
    client.force_login(cast.owner)
    answer = client.post("/people/new/", {"name": "Jonas Berg", "locations": [cast.cph.pk], "external_ref": "E-1"})
    assert (
        answer.status_code == 200 and "A person with the employee number E-1 exists already." in answer.content.decode()
    )
    assert _error_on(answer, "external_ref")
    assert not Person.objects.filter(name="Jonas Berg").exists()


def test_a_regional_manager_sees_and_edits_only_the_people_of_their_region(cast, client):
    client.force_login(cast.regional)
    page = client.get("/people/").content.decode()
    assert "Birgitte Lund" in page and "Claire Martin" not in page
    assert client.get(f"/people/{cast.claire.pk}/").status_code == 404
    assert client.post(f"/people/{cast.claire.pk}/", {"name": "Claire", "locations": [cast.cph.pk]}).status_code == 404
    # Nor place someone at Paris: the store is not offered, so the form refuses it.
    assert "Paris" not in client.get("/people/new/").content.decode()
    refused = client.post("/people/new/", {"name": "Jonas Berg", "locations": [cast.par.pk]})
    assert refused.status_code == 200 and not Person.objects.filter(name="Jonas Berg").exists()
    cast.claire.refresh_from_db()
    assert cast.claire.name == "Claire Martin" and cast.claire.active


def test_a_regional_manager_editing_someone_who_also_works_in_paris_keeps_them_there(cast, client):
    cast.birgitte.locations.add(cast.par)
    client.force_login(cast.regional)
    data = {
        "name": "Birgitte Lund",
        "locations": [cast.aar.pk],
        "job_role": "Sales associate",
        "external_ref": "",
        "email": "",
        "active": "on",
    }
    assert client.post(f"/people/{cast.birgitte.pk}/", data).status_code == 302
    assert set(cast.birgitte.locations.all()) == {cast.aar, cast.par}


# --- Imports -------------------------------------------------------------------------------------


def _upload(name: str, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_an_owner_imports_stores_and_each_new_one_gets_its_link(cast, client):
    client.force_login(cast.owner)
    csv = "code,name,region,timezone\nodense,Odense,north,Europe/Copenhagen\ncph,København,north,Europe/Copenhagen\n"
    answer = client.post("/stores/import/", {"file": _upload("stores.csv", csv)}, follow=True)
    page = answer.content.decode()
    assert "Stores: 1 created, 1 updated, 0 skipped." in page
    assert Location.objects.get(code="cph").name == "København"
    assert Channel.objects.filter(location__code="odense", kind=ChannelKind.LINK).count() == 1


def test_a_people_file_with_a_mistake_shows_its_line_and_column_and_imports_nothing(cast, client):
    client.force_login(cast.owner)
    csv = "name,locations,employee_number\nJonas Berg,cph,E-1\nLine Holm,nowhere,E-2\n"
    answer = client.post("/people/import/", {"file": _upload("staff.csv", csv)})
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "staff.csv line 3, column locations: unknown location code &#x27;nowhere&#x27;" in page
    assert "Nothing was imported." in page
    assert not Person.objects.filter(name="Jonas Berg").exists()


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(cast, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.owner)
    upload = SimpleUploadedFile("staff.csv", "name,locations\nJérôme,cph\n".encode("latin-1"))
    answer = client.post("/people/import/", {"file": upload})
    assert answer.status_code == 200 and "UTF-8" in answer.content.decode()
    assert not Person.objects.filter(locations=cast.cph, name__startswith="J").exists()


def test_imports_are_for_the_owner_only(cast, client):
    client.force_login(cast.regional)
    assert client.get("/stores/import/").status_code == 403
    assert client.get("/people/import/").status_code == 403


# --- Touchpoints ---------------------------------------------------------------------------------


def test_an_owner_adds_a_touchpoint_with_names_in_five_languages_shown_in_the_readers_language(cast, client):
    client.force_login(cast.owner)
    data = {
        "code": "click-collect",
        "name": "Click & collect",
        "position": 5,
        "names_en": "Click & collect",
        "names_da": "Klik og hent",
        "names_fr": "Retrait en magasin",
        "names_et": "Telli ja vii",
        "names_fi": "Nouto myymälästä",
    }
    assert client.post("/touchpoints/new/", data).status_code == 302
    touchpoint = Touchpoint.objects.get(code="click-collect")
    assert touchpoint.names["fi"] == "Nouto myymälästä" and touchpoint.position == 5
    client.post("/i18n/setlang/", {"language": "da"})
    assert "Klik og hent" in client.get("/touchpoints/").content.decode()

    edit = client.post(f"/touchpoints/{touchpoint.pk}/", {**data, "code": "changed", "names_da": "Klik & hent"})
    assert edit.status_code == 302
    touchpoint.refresh_from_db()
    assert touchpoint.code == "click-collect" and touchpoint.names["da"] == "Klik & hent"


def test_a_touchpoint_code_that_exists_is_a_form_error(cast, client):
    client.force_login(cast.owner)
    answer = client.post("/touchpoints/new/", {"code": "phone", "name": "Phone again", "position": 0})
    assert answer.status_code == 200 and _error_on(answer, "code")
    assert Touchpoint.objects.filter(code="phone").count() == 1


def test_the_people_list_filters_by_store_and_name_and_pages_by_a_hundred(cast, client):
    from exceed.org.organisation_views import PEOPLE_PER_PAGE

    for number in range(PEOPLE_PER_PAGE):
        Person.objects.create(name=f"Zoe {number:03d}").locations.set([cast.aar])
    client.force_login(cast.owner)
    at_aarhus = client.get("/people/?location=aar").content.decode()
    assert "Zoe 000" in at_aarhus and "Birgitte Lund" not in at_aarhus and "Page 1 of 1" not in at_aarhus
    everyone = client.get("/people/").content.decode()
    assert "Page 1 of 2" in everyone and "Zoe 099" not in everyone
    assert "Zoe 099" in client.get("/people/?page=2").content.decode()
    assert "Birgitte Lund" in client.get("/people/?q=birgit").content.decode()
    assert "Zoe 001" not in client.get("/people/?q=birgit").content.decode()
    # A regional manager asking for Paris's people gets nobody.
    client.force_login(cast.regional)
    assert "Claire Martin" not in client.get("/people/?location=par").content.decode()


def test_the_back_office_link_is_offered_to_superusers_only(cast, client):
    from django.contrib.auth.models import User

    client.force_login(cast.owner)
    assert 'href="/admin/"' not in client.get("/stores/").content.decode()
    client.force_login(User.objects.create_superuser(username="root", email="root@example.com", password="pw-root"))
    assert 'href="/admin/"' in client.get("/stores/").content.decode()


@pytest.mark.parametrize("position", ["-1", "99999", "x"])
def test_a_touchpoint_position_out_of_range_is_a_form_error(position, cast, client):
    client.force_login(cast.owner)
    answer = client.post("/touchpoints/new/", {"code": "web-shop", "name": "Web shop", "position": position})
    assert answer.status_code == 200 and _error_on(answer, "position") and not _error_on(answer, "code")
    assert not Touchpoint.objects.filter(code="web-shop").exists()


def test_a_store_code_new_or_import_is_refused_because_the_pages_use_those_addresses(cast, client):
    client.force_login(cast.owner)
    answer = client.post("/stores/new/", _store(code="import", region=cast.north.pk))
    assert answer.status_code == 200 and "This code is reserved; choose another." in answer.content.decode()
    assert not Location.objects.filter(code="import").exists()
