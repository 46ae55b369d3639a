"""Status rules the tests share, in the interchange format (docs/status-rules.md)."""

FIVE_LEVELS = {
    "name": "Five levels",
    "green": {"within": "0"},
    "amber-green": {"within": "5%"},
    "amber": {"within": "10%"},
    "amber-red": {"within": "20%"},
    "otherwise": "red",
    "labels": {
        "green": "On target",
        "amber-green": "Nearly on target",
        "amber": "Close to target",
        "amber-red": "Off target",
        "red": "Well off target",
    },
}
"""The guide's five-level example: the delivery-confidence scale, in percent of the target."""
