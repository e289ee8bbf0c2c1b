"""Triage (issue 8, item 4): the case list by urgency, a page at a time, "my cases", assignment,
and answers linked to their cases and back."""

import re

import pytest

from exceed.errors import DomainError
from exceed.org.models import Person
from exceed.recovery.models import CaseAssignment, RecoveryCase, StepKind
from exceed.recovery.services import case_assign, case_close
from tests.recovery.factories import low_response, staff_case


def _case_numbers(page: str) -> list[int]:
    return [int(number) for number in re.findall(r'<td><a href="/recovery/(\d+)/">#', page)]


def test_the_case_list_puts_overdue_cases_first_then_the_step_due_soonest(cast, client):
    closed = staff_case(cast, hours_ago=100, summary="Closed long ago")
    case_close(case=closed, reason="Sorted by phone")
    fresh = staff_case(cast, hours_ago=0, summary="Just now")  # acknowledge due in an hour
    older = staff_case(cast, hours_ago=0.5, summary="Half an hour ago")  # due in half an hour
    overdue = staff_case(cast, location=cast.aar, hours_ago=3, summary="Waited at Aarhus")
    client.force_login(cast.regional)

    page = client.get("/recovery/").content.decode()
    assert _case_numbers(page) == [overdue.pk, older.pk, fresh.pk, closed.pk]
    row = page[page.index(f'/recovery/{overdue.pk}/">#') :]
    row = row[: row.index("</tr>")]
    # Store, due step and age are in the row.
    assert "Aarhus" in row and str(StepKind.ACKNOWLEDGE.label) in row and "3\xa0hours" in row


def test_the_case_list_pages_by_25_and_keeps_the_filters_on_the_page_links(cast, client):
    for number in range(30):
        staff_case(cast, summary=f"Cold coffee {number}")
    staff_case(cast, location=cast.aar, summary="Not in Copenhagen")
    client.force_login(cast.regional)

    first = client.get("/recovery/", {"location": cast.cph.pk}).content.decode()
    assert len(_case_numbers(first)) == 25 and "30 cases" in first
    assert "Page 1 of 2" in first
    assert f"location={cast.cph.pk}&amp;page=2" in first
    second = client.get("/recovery/", {"location": cast.cph.pk, "page": 2}).content.decode()
    assert len(_case_numbers(second)) == 5 and "Not in Copenhagen" not in second
    # A page out of range or not a number shows the nearest page, never an error.
    assert client.get("/recovery/", {"page": "999"}).status_code == 200
    assert client.get("/recovery/", {"page": "x"}).status_code == 200


def test_the_filters_say_what_an_empty_choice_shows_and_search_finds_by_number_or_words(cast, client):
    wanted = staff_case(cast, summary="Broken cup handed over")
    staff_case(cast, summary="Something else")
    client.force_login(cast.manager)
    page = client.get("/recovery/").content.decode()
    assert "All locations" in page and "All categories" in page and "All statuses" in page
    assert 'placeholder="Case number or words of what happened"' in page
    assert _case_numbers(client.get("/recovery/", {"text": "broken cup"}).content.decode()) == [wanted.pk]
    assert _case_numbers(client.get("/recovery/", {"text": f"#{wanted.pk}"}).content.decode()) == [wanted.pk]
    # A NUL in the search is a refused filter, not a database error.
    assert client.get("/recovery/", {"text": "a\x00b"}).status_code == 200


def test_a_manager_sees_the_cases_assigned_to_them(cast, client):
    mette = Person.objects.create(name="Mette Kjær", user=cast.manager, job_role="Store manager")
    mette.locations.set([cast.cph])
    mine = staff_case(cast, summary="Mine to handle")
    staff_case(cast, summary="Someone else's")
    case_assign(case=mine, owner=mette, by=cast.manager)
    client.force_login(cast.manager)

    page = client.get("/recovery/").content.decode()
    assert 'href="?mine=on"' in page
    assert _case_numbers(client.get("/recovery/", {"mine": "on"}).content.decode()) == [mine.pk]


def test_a_login_that_is_nobodys_person_has_no_cases_of_its_own(cast, client):
    staff_case(cast)
    client.force_login(cast.regional)
    page = client.get("/recovery/", {"mine": "on"}).content.decode()
    assert _case_numbers(page) == [] and 'href="?mine=on"' not in client.get("/recovery/").content.decode()


def test_a_manager_assigns_a_case_to_a_colleague_and_the_history_says_so(cast, client):
    case = staff_case(cast)
    client.force_login(cast.manager)
    page = client.get(f"/recovery/{case.pk}/").content.decode()
    assert "Birgitte Lund" in page and "Claire Martin" not in page  # only the store's people are offered

    answer = client.post(f"/recovery/{case.pk}/assign/", {"owner": cast.birgitte.pk})
    assert answer.status_code == 302
    case.refresh_from_db()
    assert case.owner == cast.birgitte
    [assignment] = CaseAssignment.objects.filter(case=case)
    assert (assignment.from_owner, assignment.to_owner, assignment.by) == (None, cast.birgitte, cast.manager)
    page = client.get(f"/recovery/{case.pk}/").content.decode()
    assert "assigned to Birgitte Lund by mette" in page
    assert "Birgitte Lund" in client.get("/recovery/").content.decode()  # the list's owner column


def test_a_case_cannot_go_to_someone_of_another_store(cast, client):
    case = staff_case(cast)
    client.force_login(cast.manager)
    refused = client.post(f"/recovery/{case.pk}/assign/", {"owner": cast.claire.pk})
    assert refused.status_code == 400
    with pytest.raises(DomainError) as error:
        case_assign(case=case, owner=cast.claire, by=cast.owner)
    assert error.value.field == "owner" and "Paris" not in error.value.message and "Copenhagen" in error.value.message
    case.refresh_from_db()
    assert case.owner is None and not CaseAssignment.objects.exists()


def test_only_a_manager_of_the_cases_store_may_assign_it(cast, client):
    paris = staff_case(cast, location=cast.par)
    client.force_login(cast.manager)  # Copenhagen's manager
    assert client.post(f"/recovery/{paris.pk}/assign/", {"owner": cast.claire.pk}).status_code == 404
    with pytest.raises(DomainError) as error:
        case_assign(case=paris, owner=cast.claire, by=cast.manager)
    assert error.value.status == 403
    cph = staff_case(cast)
    client.force_login(cast.associate)
    assert client.post(f"/recovery/{cph.pk}/assign/", {"owner": cast.birgitte.pk}).status_code == 403
    assert not RecoveryCase.objects.filter(owner__isnull=False).exists()


def test_an_answer_links_to_its_case_and_the_case_back_to_the_answer(cast, client):
    response = low_response(cast)
    case = RecoveryCase.objects.get(response=response)
    client.force_login(cast.manager)
    answer_page = client.get(f"/responses/{response.pk}/").content.decode()
    assert f'href="/recovery/{case.pk}/"' in answer_page
    case_page = client.get(f"/recovery/{case.pk}/").content.decode()
    assert f'href="/responses/{response.pk}/"' in case_page
