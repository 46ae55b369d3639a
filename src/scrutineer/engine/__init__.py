"""Scrutineer's performance engine: the rules, in plain Python, with no Django.

Periods of the UK financial year, aggregation of months into quarters, status against
target (by the council's own status rule), trend, display of figures and the summary of
a period. Everything the web app, API, reports and CLI show about a figure comes from
here, so they never disagree.
Import from this package: `from scrutineer.engine import Period, evaluate_history`.
"""

from __future__ import annotations

from scrutineer.engine.display import (
    DurationStyle,
    format_clock,
    format_currency,
    format_fraction,
    format_number,
    format_target,
    format_value,
)
from scrutineer.engine.errors import (
    AggregationError,
    DisplayError,
    DuplicatePeriodError,
    EngineError,
    FigureError,
    FigureNeededError,
    FrequencyError,
    IncompleteRateError,
    NegativeFigureError,
    NonFiniteFigureError,
    NumeratorExceedsDenominatorError,
    PeriodError,
    PeriodKeyError,
    RuleError,
    StatusRuleError,
    ToleranceError,
    ZeroDenominatorError,
)
from scrutineer.engine.evaluate import (
    Comparison,
    IndicatorRule,
    Result,
    compare,
    evaluate,
    evaluate_history,
)
from scrutineer.engine.measures import (
    Aggregate,
    Aggregation,
    MeasureKind,
    Observation,
    aggregate,
    aggregate_history,
    figure,
    rate,
)
from scrutineer.engine.periods import Frequency, Period
from scrutineer.engine.rules import (
    DEFAULT_RULE,
    TREND_WORDS,
    Clause,
    Comparand,
    ForecastSource,
    Judgement,
    KeyLine,
    RuleJudge,
    StatusRule,
    TrendKeyLine,
    Within,
    WithinUnit,
    judge_figure,
)
from scrutineer.engine.status import (
    Judge,
    Polarity,
    Status,
    Tolerance,
    ToleranceKind,
    assess,
)
from scrutineer.engine.summary import Summary, summarise
from scrutineer.engine.trend import Trend, trend

__all__ = [
    "DEFAULT_RULE",
    "TREND_WORDS",
    "Aggregate",
    "Aggregation",
    "AggregationError",
    "Clause",
    "Comparand",
    "Comparison",
    "DisplayError",
    "DuplicatePeriodError",
    "DurationStyle",
    "EngineError",
    "FigureError",
    "FigureNeededError",
    "ForecastSource",
    "Frequency",
    "FrequencyError",
    "IncompleteRateError",
    "IndicatorRule",
    "Judge",
    "Judgement",
    "KeyLine",
    "MeasureKind",
    "NegativeFigureError",
    "NonFiniteFigureError",
    "NumeratorExceedsDenominatorError",
    "Observation",
    "Period",
    "PeriodError",
    "PeriodKeyError",
    "Polarity",
    "Result",
    "RuleError",
    "RuleJudge",
    "Status",
    "StatusRule",
    "StatusRuleError",
    "Summary",
    "Tolerance",
    "ToleranceError",
    "ToleranceKind",
    "Trend",
    "TrendKeyLine",
    "Within",
    "WithinUnit",
    "ZeroDenominatorError",
    "aggregate",
    "aggregate_history",
    "assess",
    "compare",
    "evaluate",
    "evaluate_history",
    "figure",
    "format_clock",
    "format_currency",
    "format_fraction",
    "format_number",
    "format_target",
    "format_value",
    "judge_figure",
    "rate",
    "summarise",
    "trend",
]
