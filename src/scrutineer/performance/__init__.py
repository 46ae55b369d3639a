"""The one read path: stored figures, targets and rules → judged rows and histories.

Stored rows become engine inputs here and nowhere else; the committee table, the
dashboards, the indicator page, My work, the reports and (later) the API and exports all
read through this package. A figure not yet approved is described once, by
`reported_observation`: "No Data: Awaiting approval (Draft | Submitted | Returned)".
"""

from scrutineer.performance.history import (
    HistoryRow,
    approved_quarters,
    as_if_approved,
    as_reported,
    indicator_history,
    judge_one,
)
from scrutineer.performance.judging import (
    Cell,
    PerformanceTable,
    TableRow,
    ThemeGroup,
    awaiting_approval,
    build_table,
    committee_indicators,
    judge_indicators,
    reported_indicators,
    reported_observation,
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
    "as_if_approved",
    "as_reported",
    "awaiting_approval",
    "build_table",
    "committee_indicators",
    "indicator_history",
    "judge_indicators",
    "judge_one",
    "preview_rule",
    "reported_indicators",
    "reported_observation",
    "status_key",
    "status_keys",
    "symbol_for",
    "words_for",
]
