"""`scrutineer status`: judge one figure by a status rule, to check the rule before adopting it.

    scrutineer status --rule RULE.json --polarity higher-is-better --value 91.2 --target 95 \\
        --previous 90.1 --last-year 88 --format json

The rule is a file in the interchange format (docs/status-rules.md); without --rule,
the default rule with the site's tolerance. The command judges exactly as the engine
does everywhere else (`engine.judge_figure`), but strictly: where the status depends on
a figure not given (last year's for an improvement split, a forecast), it says which
option to give instead of guessing. Bad input is one sentence and a non-zero exit.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutineer.catalogue.models import default_tolerance
from scrutineer.engine import (
    DEFAULT_RULE,
    TREND_WORDS,
    EngineError,
    FigureNeededError,
    Judgement,
    Polarity,
    StatusRule,
    StatusRuleError,
    Tolerance,
    ToleranceKind,
    judge_figure,
)
from scrutineer.engine.figures import MAX_PLACES, plain

_FIGURE: re.Pattern[str] = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_TOLERANCE: re.Pattern[str] = re.compile(r"([0-9]+(?:\.[0-9]*)?)\s*(%?)")
# The option that gives each figure a rule may need (FigureNeededError.needs).
_OPTION_FOR: dict[str, str] = {
    "last-year": "--last-year",
    "previous": "--previous",
    "forecast": "--forecast (and --year-end-target, if the year-end target is not --target)",
}
_FIGURES = ("value", "target", "previous", "last_year", "forecast", "year_end_target")


def read_figure(text: str | None, option: str) -> Decimal | None:
    """A figure as typed on the command line: digits, a sign, one point."""
    if text is None:
        return None
    if not _FIGURE.fullmatch(text.strip()):
        raise CommandError(f"{option}: '{text[:40]}' is not a figure; write it as digits, like 91.2.")
    return Decimal(text.strip())


def read_tolerance(text: str | None) -> Tolerance:
    """--tolerance "10%" (of the target) or "5" (in the indicator's unit); the site's by default."""
    if text is None:
        return default_tolerance()
    match = _TOLERANCE.fullmatch(text.strip())
    if not match:
        raise CommandError(
            f"--tolerance: '{text[:40]}' is not a tolerance; write 10% (of the target) or 5 (in the unit)."
        )
    kind = ToleranceKind.PERCENTAGE if match[2] else ToleranceKind.ABSOLUTE
    return Tolerance(kind, Decimal(match[1]))


def read_rule(path: str | None) -> StatusRule:
    """The rule in the file at `path` ("-": standard input); the default rule without one."""
    if path is None:
        return DEFAULT_RULE
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise CommandError(f"Cannot read the rule file {path}: {reason}.") from None
    try:
        return StatusRule.from_json(text)
    except StatusRuleError as error:
        raise CommandError(f"The rule in {path} is refused: {error}.") from None


def sentence(error: Exception) -> str:
    """An engine message (which starts in lower case, for a caller's prefix) as a sentence."""
    text = str(error)
    return text[:1].upper() + text[1:]


def places_of(*figures: Decimal | None) -> int:
    """Enough decimal places to judge every figure as typed, without rounding any."""
    places = 0
    for figure in figures:
        if figure is not None:
            exponent = figure.as_tuple().exponent
            if isinstance(exponent, int) and exponent < 0:
                places = max(places, -exponent)
    return min(places, MAX_PLACES)


def as_data(
    rule: StatusRule, polarity: Polarity, judged: Judgement, figures: dict[str, Decimal | None], unit: str
) -> dict[str, Any]:
    return {
        "rule": rule.name,
        "polarity": polarity.value,
        **{name: None if figure is None else plain(figure) for name, figure in figures.items()},
        "status": judged.status.value,
        "label": judged.label,
        "symbol": judged.symbol,
        "clause": judged.clause,
        "reason": judged.reason,
        "trend_previous": TREND_WORDS[judged.trend_previous],
        "trend_previous_label": judged.trend_previous_label,
        "trend_last_year": TREND_WORDS[judged.trend_last_year],
        "trend_last_year_label": judged.trend_last_year_label,
        "forecast_meets_target": judged.forecast_meets_target,
        "key": [line.line for line in rule.key(polarity, unit)],
    }


def as_text(data: dict[str, Any]) -> str:
    lines = [f"{data['symbol']} {data['label']} ({data['status']})"]
    if data["value"] is not None and data["target"] is not None:
        lines[0] += f": {data['value']} against a target of {data['target']}"
    if data["clause"]:
        lines.append(f"  decided by {data['clause']}: {data['reason']}")
    else:
        lines.append(f"  {data['reason']}")
    for name, words in (("previous", "the previous period"), ("last_year", "the same period last year")):
        if data[name] is not None:
            lines.append(
                f"Against {words} ({data[name]}): {data[f'trend_{name}_label']} ({data[f'trend_{name}']})"
            )
    if data["forecast"] is not None:
        meets = "meets" if data["forecast_meets_target"] else "does not meet"
        lines.append(f"The forecast ({data['forecast']}) {meets} the year-end target.")
    lines.append("")
    lines.append(f"Key ({data['rule']}, {data['polarity']}):")
    lines.extend(f"  {line}" for line in data["key"])
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = (
        "Judge one figure by a status rule, to check the rule before adopting it. Example: "
        "scrutineer status --rule rule.json --polarity higher-is-better --value 91.2 --target 95 "
        "--previous 90.1 --last-year 88 --format json. The rule format is in docs/status-rules.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rule", help="A status rule file (JSON; - reads standard input). Default: the default rule."
        )
        parser.add_argument(
            "--polarity",
            required=True,
            choices=[polarity.value for polarity in Polarity],
            help="Which way is good for the indicator.",
        )
        parser.add_argument("--value", help="The figure. Leave out for a period with no figure (no data).")
        parser.add_argument("--target", help="The target. Leave out for a period without one (info only).")
        parser.add_argument("--previous", help="The previous period's figure, for its trend.")
        parser.add_argument("--last-year", help="The same period last year's figure, for its trend.")
        parser.add_argument("--forecast", help="The forecast for the year end, for a rule with a forecast.")
        parser.add_argument("--year-end-target", help="The target at the year end (default: --target).")
        parser.add_argument(
            "--tolerance",
            help="The indicator's tolerance, for a rule whose bands say 'tolerance': 10%% or 5 "
            "(in the unit). Default: the site's.",
        )
        parser.add_argument(
            "--decimal-places",
            type=int,
            help="Round the figures half-up to this many places first, as a report shows them "
            "(default: as typed).",
        )
        parser.add_argument("--unit", default="", help="The indicator's unit, for the key's words (e.g. %%).")
        parser.add_argument(
            "--not-measured", action="store_true", help="The figure is not a real measurement."
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: object, **options: Any) -> None:
        rule = read_rule(options["rule"])
        polarity = Polarity(options["polarity"])
        figures = {name: read_figure(options[name], f"--{name.replace('_', '-')}") for name in _FIGURES}
        places = options["decimal_places"]
        if places is None:
            places = places_of(*figures.values())
        try:
            judged = judge_figure(
                rule,
                polarity,
                figures["value"],
                figures["target"],
                previous=figures["previous"],
                last_year=figures["last_year"],
                forecast=figures["forecast"],
                year_end_target=figures["year_end_target"],
                tolerance=read_tolerance(options["tolerance"]),
                places=places,
                not_measured=options["not_measured"],
                unit=options["unit"],
            )
        except FigureNeededError as error:
            raise CommandError(f"{sentence(error)}; give it with {_OPTION_FOR[error.needs]}.") from None
        except EngineError as error:
            raise CommandError(f"{sentence(error)}.") from None
        data = as_data(rule, polarity, judged, figures, options["unit"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(as_text(data), ending="")
