from datetime import date

import pytest

from scrutineer.collection.rounds import open_periods
from scrutineer.engine import Frequency, Period


@pytest.mark.parametrize(
    ("frequency", "today", "expected"),
    [
        (Frequency.QUARTERLY, date(2026, 11, 24), ["2026-27-Q2", "2026-27-Q1"]),
        (Frequency.QUARTERLY, date(2026, 4, 1), ["2025-26-Q4", "2025-26-Q3"]),
        (Frequency.MONTHLY, date(2026, 11, 24), ["2026-10", "2026-09"]),
        (Frequency.MONTHLY, date(2026, 1, 1), ["2025-12", "2025-11"]),
        (Frequency.ANNUAL, date(2026, 11, 24), ["2025-26", "2024-25"]),
    ],
)
def test_the_last_two_periods_that_have_ended_are_open(frequency, today, expected):
    assert open_periods(frequency, today) == [Period.parse(key) for key in expected]
