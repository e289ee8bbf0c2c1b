"""`exceed import locations` takes optional latitude and longitude columns (for mystery shoppers'
"shops near me"); a bad one names its line and column and nothing is stored."""

from exceed.org.models import Location


def test_coordinates_are_imported_and_an_empty_cell_keeps_the_stored_point(cast, exceed, write):
    text = 'code,name,region,latitude,longitude\node,Odense,north,55.3959,"10,3883"\ncph,Copenhagen,north,55.6761,12.5683\n'
    status, _out, err = exceed("import", "locations", write("locations.csv", text))
    assert status == 0, err
    odense = Location.objects.get(code="ode")
    assert (odense.latitude, odense.longitude) == (55.3959, 10.3883)
    status, _out, err = exceed(
        "import", "locations", write("again.csv", "code,name,region,latitude\ncph,Copenhagen,north,\n")
    )
    assert status == 0, err
    cph = Location.objects.get(code="cph")
    assert (cph.latitude, cph.longitude) == (55.6761, 12.5683)


def test_a_coordinate_out_of_range_names_its_line_and_column_and_nothing_is_stored(cast, exceed, write):
    text = "code,name,region,latitude,longitude\node,Odense,north,55.4,10.4\nvej,Vejle,north,95,9.5\n"
    status, _out, err = exceed("import", "locations", write("locations.csv", text))
    assert status == 1
    assert "locations.csv line 3, column latitude" in err and "from -90 to 90" in err
    assert not Location.objects.filter(code__in=["ode", "vej"]).exists()
