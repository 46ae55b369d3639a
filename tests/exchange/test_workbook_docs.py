"""The import guide's tables (docs/import-export.md) say what the workbook's own "about"
sheet says: every sheet's description and every column's, from `exchange.layout.SHEETS`,
so the guide and the workbook cannot drift apart (the guide once still called the
aggregation "How months make a quarter" when the form asked "How the figures add up")."""

import re
from pathlib import Path

from scrutineer.exchange.layout import SHEETS

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "import-export.md"
ROW = re.compile(r"^\| `([^`]+)` \| *(yes|) *\| *([^|]+?) *\| (.*) \|$")


def sections() -> dict[str, str]:
    text = GUIDE.read_text()
    found = {}
    for sheet in SHEETS:
        match = re.search(rf"^### {re.escape(sheet.name)}\n(.*?)(?=^##)", text, re.M | re.S)
        assert match, f"the guide has no section for the {sheet.name} sheet"
        found[sheet.name] = match.group(1)
    return found


def test_each_sheet_and_column_is_described_as_the_workbook_describes_it():
    for sheet in SHEETS:
        section = sections()[sheet.name]
        assert section.strip().startswith(sheet.help), sheet.name
        rows = [ROW.match(line).groups() for line in section.splitlines() if ROW.match(line)]
        expected = [(c.name, "yes" if c.required else "", c.kind.value, c.help) for c in sheet.columns]
        assert rows == expected, sheet.name


def test_the_aggregation_is_named_as_the_indicator_form_names_it():
    from scrutineer.catalogue.forms import IndicatorForm

    label = str(IndicatorForm().fields["aggregation"].label)
    assert label == "How the figures add up"
    help = next(c for s in SHEETS for c in s.columns if c.name == "aggregation").help
    assert help.startswith(f"{label}:") and "months make a quarter" not in help.split(":")[0]
    assert f"| `aggregation` | yes | text | {help} |" in GUIDE.read_text()
