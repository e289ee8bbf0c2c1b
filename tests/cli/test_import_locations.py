from exceed.org.models import Location, Region

GOOD = """code,name,region,timezone,default_language,address
tll,Tallinn Viru,baltics,Europe/Tallinn,et,Viru väljak 4
cph,Copenhagen Strøget,north,Europe/Copenhagen,da,Amagertorv 14
"""


def test_locations_are_created_and_a_new_region_with_them(cast, exceed, write):
    status, out, err = exceed("import", "locations", write("locations.csv", GOOD))
    assert status == 0, err
    tallinn = Location.objects.get(code="tll")
    assert (tallinn.region.code, tallinn.timezone, tallinn.default_language, tallinn.address) == (
        "baltics",
        "Europe/Tallinn",
        "et",
        "Viru väljak 4",
    )
    assert Region.objects.filter(code="baltics").exists()
    # An existing code is updated, not duplicated.
    assert Location.objects.get(code="cph").name == "Copenhagen Strøget"
    assert "1 created, 1 updated" in out


def test_a_semicolon_separated_file_from_a_danish_spreadsheet_is_read(cast, exceed, write):
    status, _out, err = exceed("import", "locations", write("locations.csv", "code;name;region\node;Odense;north\n"))
    assert status == 0, err
    assert Location.objects.get(code="ode").region == cast.north


def test_a_bad_time_zone_is_refused_naming_line_and_column_and_nothing_is_stored(cast, exceed, write):
    text = GOOD + "hel,Helsinki,baltics,Europe/Helsinky,fi,\n"
    status, _out, err = exceed("import", "locations", write("locations.csv", text))
    assert status == 1
    assert "locations.csv line 4, column timezone: unknown time zone 'Europe/Helsinky'" in err
    assert not Location.objects.filter(code__in=["tll", "hel"]).exists()
    assert not Region.objects.filter(code="baltics").exists()
    assert Location.objects.get(code="cph").name == "Copenhagen"


def test_every_problem_is_listed_not_only_the_first(cast, exceed, write):
    text = "code,name,region,default_language\nbad code,,north,xx\n"
    status, _out, err = exceed("import", "locations", write("locations.csv", text))
    assert status == 1
    assert "line 2, column code" in err
    assert "line 2, column name" in err
    assert "line 2, column default_language" in err


def test_a_missing_column_is_named(cast, exceed, write):
    status, _out, err = exceed("import", "locations", write("locations.csv", "code,name\nx,X\n"))
    assert status == 1
    assert "line 1, column region" in err
