import pytest

from exceed.recovery.templatetags.recovery_tags import duration


@pytest.mark.parametrize(
    "seconds, shown",
    [(None, "—"), (1440, "24 min"), (3600, "1 h"), (62580, "17 h 23 min"), (107760, "1 d 5 h"), (172800, "2 d")],
)
def test_durations_read_as_a_manager_reads_a_deadline(seconds, shown):
    assert duration(seconds) == shown
