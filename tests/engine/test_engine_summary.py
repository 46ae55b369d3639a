"""The period at a glance."""

from __future__ import annotations

from decimal import Decimal

from scrutineer.engine import (
    Aggregation,
    IndicatorRule,
    MeasureKind,
    Observation,
    Period,
    Polarity,
    Result,
    Status,
    evaluate,
    summarise,
)

D = Decimal
Q1 = Period.quarter(2020, 1)
RULE = IndicatorRule("X", MeasureKind.NUMBER, Polarity.HIGHER_IS_BETTER, Aggregation.SUM)


def result(value: str | None, target: str | None = "10", not_measured: bool = False) -> Result:
    observation = Observation(Q1, None if value is None else D(value), not_measured=not_measured)
    return evaluate(RULE, observation, Q1, None if target is None else D(target), None)


def test_counts_every_status_and_lists_the_gaps() -> None:
    summary = summarise(
        [
            ("A", result("12")),
            ("B", result("9")),
            ("C", result(None)),
            ("D", result("0", not_measured=True)),
            ("E", result("5", target=None)),
        ]
    )
    assert dict(summary.counts) == {
        Status.GREEN: 1,
        Status.AMBER_GREEN: 0,
        Status.AMBER: 0,
        Status.AMBER_RED: 0,
        Status.RED: 1,
        Status.INFO_ONLY: 1,
        Status.NO_DATA: 1,
        Status.NOT_MEASURED: 1,
    }
    assert (summary.measurable, summary.achieved, summary.total) == (2, 1, 5)
    assert summary.missing == ("C",)
    assert summary.not_measured == ("D",)
    assert summary.achieved_text == "1 of 2 measurable targets achieved"


def test_achieved_text_in_words() -> None:
    assert summarise([("A", result("12"))]).achieved_text == "1 of 1 measurable target achieved"
    assert summarise([]).achieved_text == "No measurable targets"
    assert summarise([("A", result(None))]).achieved_text == "No measurable targets"
