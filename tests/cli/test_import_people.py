from exceed.org.models import Person

GOOD = """name,email,job_role,employee_number,locations
Karen Blixen,karen@example.com,Butikschef,CPH-100,cph;aar
Jules Verne,,Vendeur,PAR-100,par
"""


def test_people_are_created_with_their_home_locations(cast, exceed, write):
    status, out, err = exceed("import", "people", write("people.csv", GOOD))
    assert status == 0, err
    karen = Person.objects.get(external_ref="CPH-100")
    assert (karen.name, karen.email, karen.job_role) == ("Karen Blixen", "karen@example.com", "Butikschef")
    assert set(karen.locations.values_list("code", flat=True)) == {"cph", "aar"}
    assert "2 created" in out


def test_a_reimport_updates_people_by_employee_number(cast, exceed, write):
    exceed("import", "people", write("people.csv", GOOD))
    status, out, _err = exceed("import", "people", write("people.csv", GOOD.replace("Butikschef", "Regionschef")))
    assert status == 0
    assert Person.objects.filter(external_ref="CPH-100").count() == 1
    assert Person.objects.get(external_ref="CPH-100").job_role == "Regionschef"
    assert "0 created, 2 updated" in out


def test_an_unknown_location_is_refused_naming_line_and_column_and_nothing_is_stored(cast, exceed, write):
    before = Person.objects.count()
    text = GOOD + "\n".join(f"Person {n},,,X-{n},cph" for n in range(3)) + "\nLost Soul,,,X-9,xx\n"
    status, _out, err = exceed("import", "people", write("people.csv", text))
    assert status == 1
    assert "people.csv line 7, column locations: unknown location code 'xx'" in err
    assert "Nothing was imported." in err
    assert Person.objects.count() == before


def test_a_repeated_employee_number_is_refused(cast, exceed, write):
    status, _out, err = exceed("import", "people", write("people.csv", GOOD + "Someone Else,,,CPH-100,cph\n"))
    assert status == 1
    assert "line 4, column employee_number" in err
    assert not Person.objects.filter(external_ref="CPH-100").exists()
