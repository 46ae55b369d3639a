"""The one read path: stored figures, targets and rules → judged rows and histories.

The committee table, the dashboards, the indicator page, My work, the reports, exports
and open data all read through this package. How one stored figure reads (approved, or
"No Data: Awaiting approval (Draft | Submitted | Returned)") is decided once, in
`collection.reading`, below it, so the collection actions can ask it too.
"""

from scrutineer.performance.history import (
    HistoryRow,
    approved_quarters,
    as_reported,
    indicator_history,
    judge_one,
)
from scrutineer.performance.judging import (
    Cell,
    PerformanceTable,
    TableRow,
    ThemeGroup,
    build_table,
    committee_indicators,
    judge_indicators,
    reported_indicators,
    symbol_for,
    words_for,
)
from scrutineer.performance.keys import StatusKey, status_key, status_keys
from scrutineer.performance.preview import PreviewRow, RulePreview, StatusCount, preview_rule

__all__ = [
    "Cell",
    "HistoryRow",
    "PerformanceTable",
    "PreviewRow",
    "RulePreview",
    "StatusCount",
    "StatusKey",
    "TableRow",
    "ThemeGroup",
    "approved_quarters",
    "as_reported",
    "build_table",
    "committee_indicators",
    "indicator_history",
    "judge_indicators",
    "judge_one",
    "preview_rule",
    "reported_indicators",
    "status_key",
    "status_keys",
    "symbol_for",
    "words_for",
]
