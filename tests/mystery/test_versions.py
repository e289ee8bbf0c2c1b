"""Editing a scorecard in use makes a new version; the reports filed keep theirs."""

from exceed.mystery.models import Item
from exceed.mystery.services.scorecards import item_save, scorecard_current
from tests.mystery.factories import programme, shopper, submitted


def test_editing_a_scorecard_nobody_used_changes_the_current_version(cast):
    prog = programme(cast)
    item_save(scorecard=prog.scorecard, section_code="help", code="asked", kind="scale", text={"en": "Asked"}, weight=5)
    assert scorecard_current(prog.scorecard).number == 1


def test_editing_a_scorecard_in_use_creates_a_new_version_and_the_report_keeps_its_own(cast):
    prog = programme(cast)
    assignment = submitted(prog, cast.cph, shopper())
    report = assignment.report
    score_before = report.score

    item_save(scorecard=prog.scorecard, section_code="help", code="asked", kind="scale", text={"en": "Asked"}, weight=5)

    current = scorecard_current(prog.scorecard)
    assert current.number == 2
    report.refresh_from_db()
    assert report.version.number == 1 and report.score == score_before
    old = Item.objects.get(section__version=report.version, code="asked")
    new = Item.objects.get(section__version=current, code="asked")
    assert (old.weight, new.weight) == (3, 5)
    assert (
        Item.objects.filter(section__version=current).count()
        == Item.objects.filter(section__version=report.version).count()
    )
