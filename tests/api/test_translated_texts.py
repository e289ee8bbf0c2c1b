"""Texts users type, in five languages, one way (issue 6, item 5): a renamed touchpoint."""

from django.utils import translation

from exceed.feedback.selectors import FeedbackFilter, measures
from exceed.feedback.services import response_submit
from exceed.org.models import Touchpoint
from exceed.org.scopes import scope_for


def test_an_owner_gives_a_touchpoint_its_danish_and_finnish_names_in_the_back_office(cast, client):
    cast.owner.is_staff = cast.owner.is_superuser = True
    cast.owner.save()
    client.force_login(cast.owner)
    page = client.post(
        f"/admin/org/touchpoint/{cast.phone.pk}/change/",
        {
            "code": "phone",
            "name": "Phone line",
            "position": 1,
            "names_da": " Telefonlinje ",
            "names_fi": "Puhelinlinja",
            "names_fr": "",
        },
    )
    assert page.status_code == 302
    phone = Touchpoint.objects.get(pk=cast.phone.pk)
    assert phone.names == {"da": "Telefonlinje", "fi": "Puhelinlinja"}
    with translation.override("da"):
        assert str(phone) == "Telefonlinje"
    with translation.override("fr"):
        assert str(phone) == "Phone line"  # no French name given: the name as typed


def test_the_dashboard_breakdown_names_a_touchpoint_in_the_readers_language(cast):
    cast.phone.names = {"da": "Telefon (butik)"}
    cast.phone.save()
    response_submit(
        survey=cast.survey,
        location=cast.cph,
        raw_answers={"return": 9, "expectation": "met"},
        language="da",
        channel_kind="api",
        touchpoint=cast.phone,
    )
    with translation.override("da"):
        rows = measures(scope_for(cast.owner), FeedbackFilter(), group_by=["touchpoint"])
    assert [row["group"]["touchpoint_label"] for row in rows] == ["Telefon (butik)"]


def test_the_api_lists_each_touchpoints_translated_names(cast, api_as):
    cast.phone.names = {"et": "Telefon"}
    cast.phone.save()
    listed = {row["code"]: row for row in api_as("owner").get("/touchpoints").json()}
    assert listed["phone"]["names"] == {"et": "Telefon"}


def test_an_owner_names_a_recovery_category_in_estonian_and_cases_show_it(cast, client):
    from exceed.recovery.models import CaseCategory
    from exceed.recovery.services import categories_install

    categories_install()
    cast.owner.is_staff = cast.owner.is_superuser = True
    cast.owner.save()
    client.force_login(cast.owner)
    wait = CaseCategory.objects.get(code="wait")
    page = client.post(
        f"/admin/recovery/casecategory/{wait.pk}/change/",
        {"code": "wait", "name": wait.name, "position": wait.position, "active": "on", "names_et": "Ootamine kassas"},
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    wait.refresh_from_db()
    with translation.override("et"):
        assert str(wait) == "Ootamine kassas"
    with translation.override("da"):
        assert str(wait) != "Ootamine kassas"  # Danish readers keep the built-in Danish name
