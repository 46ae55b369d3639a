"""Status rules as councils write them: bands measured from the target, and what lies beyond.

A council publishes its rule in words ("green — on, above or within 5% of target; amber
— between 5% and 10%; red — more than 10% from target"). A `StatusRule` is that rule
as data: an ordered list of clauses, each giving a status, tried in turn; the first
that matches decides (first match wins). The statuses are up to five judged levels,
kindest to harshest: green, amber-green, amber, amber-red and red (the five-level
delivery-confidence scale public bodies use; today's rule uses green, amber and red). A
rule starts with green, then uses any of the middle levels in that order, then its last
level ("otherwise", red unless the rule names another). A clause may say

- `within`: how far short of the target the figure may be and still match. "5%" is
  5% of the target's size, "2" is 2 in the indicator's unit (percentage points for a
  rate), "0" means on target or better only, "tolerance" is the indicator's own
  tolerance (or the site default). Percent and absolute bands give different statuses
  for the same figure, so a rule says which, and may not mix them.
- `not_worse_than`: the figure is better than, or similar to, the same period last
  year ("last-year") or the previous period ("previous"), by the rule's own "similar"
  band: the improvement split ("further off target, amber if performance improved or
  was maintained against the same period last year").
- `forecast_meets_target`: the forecast for the year end is on target (by the rule's
  first green band) against the year-end target: amber when off target now but
  forecast to meet it. The forecast is a figure the owner enters, or the year so far
  carried on at the same pace (`ForecastSource`).

"Short of the target" follows the indicator's polarity, which the rule does not set:
below it when higher is better, above it when lower is better, either side when
closest to target. A figure on target or better matches every `within`. Edges count
in the kinder status, exactly: a figure exactly 10% short matches "within 10%". The
steps before the bands are the engine's own and no rule changes them: not measured,
then no data, then info only (see `status.py`).

A condition that cannot be checked for want of a figure (no figure last year, no
forecast) does not hold, so the figure falls to the next clause: the conservative
status. `RuleJudge.verdict(strict=True)` raises `FigureNeededError` instead, for
callers that can ask for the figure (`scrutineer status`).

A rule is refused (`StatusRuleError`, naming the clause) when it cannot judge every
figure sensibly: it must start with a green band (a figure on target is green); its
clauses go from kindest to harshest, so moving a figure towards its target never
worsens its status; no clause may be unreachable (a band inside an earlier one, a
clause after one that takes every figure left); the last clause takes every figure
left, so there is no gap; bands are all in percent or all in units, since mixed
bands overlap for some targets.

The rule's words are its own: labels and symbols per status ("On target", "Achieved"),
labels per trend ("Getting better"), and `key()`, the key's sentences, written from
the clauses so that the key always says what the engine does. The default rule,
`DEFAULT_RULE`, is today's rule in today's words; its key is `Status.description`.

The interchange format (JSON, used by `scrutineer status`, imports and exports) is
documented in docs/status-rules.md: `StatusRule.from_json`, `StatusRule.as_mapping`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Final, TypeVar

from scrutineer.engine.errors import (
    FigureNeededError,
    NonFiniteFigureError,
    StatusRuleError,
)
from scrutineer.engine.figures import EXACT, HALF_UP, ZERO, check_places, plain
from scrutineer.engine.status import JUDGED_STATUSES, Polarity, Status, Tolerance, as_polarity
from scrutineer.engine.trend import Trend, trend_of_rounded


class WithinUnit(StrEnum):
    """What a band's amount is measured in."""

    PERCENT = "percent"  # of the target's size
    UNITS = "units"  # the indicator's unit (percentage points for a rate)
    TOLERANCE = "tolerance"  # times the indicator's tolerance, or the site default


class Comparand(StrEnum):
    """The earlier figure an improvement split compares with."""

    LAST_YEAR = "last-year"
    PREVIOUS = "previous"


class ForecastSource(StrEnum):
    """Where the year-end forecast comes from."""

    DATA = "data"  # the year so far, carried on at the same pace
    OWNER = "owner"  # a figure the data owner enters


_NUMBER: Final = r"(\d+(?:\.\d+)?)"
_PERCENT_TEXT: Final = re.compile(rf"{_NUMBER}\s*%")
_UNITS_TEXT: Final = re.compile(_NUMBER)
_TOLERANCE_TEXT: Final = re.compile(rf"(?:{_NUMBER}\s*(?:x|×|times)\s*)?(?:the\s+)?tolerance")
_WITHIN_HELP: Final = (
    'write "5%" (5% of the target), "2" (2 in the indicator\'s unit), "0" (on target '
    'or better only) or "tolerance" (the indicator\'s tolerance)'
)


@dataclass(frozen=True, slots=True)
class Within:
    """How far from the target (or from an earlier figure) a band reaches, edge included."""

    amount: Decimal
    unit: WithinUnit = WithinUnit.UNITS

    def __post_init__(self) -> None:
        amount = self.amount
        if isinstance(amount, int) and not isinstance(amount, bool):
            amount = Decimal(amount)
        if not isinstance(amount, Decimal) or not amount.is_finite() or amount < ZERO:
            raise StatusRuleError(f"a band of {amount} cannot be used; {_WITHIN_HELP}")
        try:
            unit = WithinUnit(self.unit)
        except ValueError:
            raise StatusRuleError(
                f"'{self.unit}' is not what a band is measured in; use percent, units or tolerance"
            ) from None
        # Nothing is nothing in any unit: one zero, so equal rules compare equal.
        object.__setattr__(self, "amount", amount if amount else ZERO)
        object.__setattr__(self, "unit", unit if amount else WithinUnit.UNITS)

    @classmethod
    def parse(cls, text: object, what: str) -> Within:
        """ "5%", "2", "0", "tolerance" or "2 × tolerance"; `what` names it in errors."""
        if isinstance(text, Decimal | int) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str):
            raise StatusRuleError(f"{what}: {json.dumps(text, default=str)} is not a band; {_WITHIN_HELP}")
        written = text.strip().lower()
        if match := _PERCENT_TEXT.fullmatch(written):
            return cls(Decimal(match[1]), WithinUnit.PERCENT)
        if match := _UNITS_TEXT.fullmatch(written):
            return cls(Decimal(match[1]), WithinUnit.UNITS)
        if match := _TOLERANCE_TEXT.fullmatch(written):
            return cls(Decimal(match[1] or 1), WithinUnit.TOLERANCE)
        raise StatusRuleError(f"{what}: '{text}' is not a band; {_WITHIN_HELP}")

    def __str__(self) -> str:
        """The interchange text: "5%", "2", "tolerance", "2 × tolerance"."""
        amount = plain(self.amount)
        if self.unit is WithinUnit.PERCENT:
            return f"{amount}%"
        if self.unit is WithinUnit.TOLERANCE:
            return "tolerance" if self.amount == 1 else f"{amount} × tolerance"
        return amount

    def width(self, reference: Decimal, tolerance: Tolerance | None) -> Decimal:
        """The band's width in the indicator's unit: a percentage applies to `reference`'s
        size (the target, or the earlier figure for a "similar" band); exactly."""
        if self.unit is WithinUnit.UNITS:
            return self.amount
        if self.unit is WithinUnit.PERCENT:
            return EXACT.multiply(self.amount, EXACT.abs(reference)).scaleb(-2, EXACT)
        if tolerance is None:
            return ZERO
        return EXACT.multiply(self.amount, tolerance.band(reference))

    def reaches(self, other: Within) -> bool | None:
        """True if every figure within `other` is within this band; None if the two are in
        different units, so that it depends on the target."""
        if not other.amount:
            return True
        if not self.amount:
            return False
        if self.unit is not other.unit:
            return None
        return self.amount >= other.amount

    def words(self, unit: str = "", *, of: str = "it") -> str:
        """The band in a sentence: "5% of it", "2 percentage points", "the tolerance allowed"."""
        amount = plain(self.amount)
        if self.unit is WithinUnit.PERCENT:
            return f"{amount}% of {of}"
        if self.unit is WithinUnit.TOLERANCE:
            if self.amount == 1:
                return "the tolerance allowed"
            if self.amount == 2:
                return "twice the tolerance allowed"
            return f"{amount} times the tolerance allowed"
        if unit == "%":
            return f"{amount} percentage point{'' if self.amount == 1 else 's'}"
        if unit:
            return f"{amount} {unit}"
        return f"{amount} (in the indicator's unit)"


NOTHING: Final = Within(ZERO)
"""The band of a rule that gives green to figures on target or better only."""


@dataclass(frozen=True, slots=True)
class Clause:
    """One line of a status rule: `status` for a figure that meets every condition given.

    `name` says where the clause came from ("amber", "clause 3") in error messages; it
    is not part of what the clause means.
    """

    status: Status
    within: Within | None = None
    not_worse_than: Comparand | None = None
    forecast_meets_target: bool = False
    name: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        what = self.name or "a clause"
        try:
            status = Status(self.status)
        except ValueError:
            status = None
        if status not in _RANK:
            raise StatusRuleError(
                f"{what}: the status must be one of {_LEVELS} (kindest to harshest), not '{self.status}'"
            )
        object.__setattr__(self, "status", status)
        if self.within is not None and not isinstance(self.within, Within):
            raise StatusRuleError(f"{what}: {self.within!r} is not a band; {_WITHIN_HELP}")
        if self.not_worse_than is not None:
            try:
                object.__setattr__(self, "not_worse_than", Comparand(self.not_worse_than))
            except ValueError:
                raise StatusRuleError(
                    f"{what}: compare with last-year or previous, not '{self.not_worse_than}'"
                ) from None
        if not isinstance(self.forecast_meets_target, bool):
            raise StatusRuleError(f"{what}: forecast_meets_target is true or false")

    @property
    def conditional(self) -> bool:
        """True when the clause asks about more than the figure and its target."""
        return self.not_worse_than is not None or self.forecast_meets_target

    @property
    def pure(self) -> bool:
        """A band and nothing else: decided by the figure and target alone."""
        return self.within is not None and not self.conditional

    @property
    def unconditional(self) -> bool:
        """Takes every figure that reaches it."""
        return self.within is None and not self.conditional

    def conditions(self) -> frozenset[str]:
        found = set()
        if self.not_worse_than is not None:
            found.add(f"not-worse-than:{self.not_worse_than}")
        if self.forecast_meets_target:
            found.add("forecast")
        return frozenset(found)


@dataclass(frozen=True, slots=True)
class KeyLine:
    """One line of a report's key, in the rule's words: "On target: the target was met."."""

    status: Status
    label: str
    symbol: str
    text: str

    @property
    def line(self) -> str:
        return f"{self.label}: {self.text}"


@dataclass(frozen=True, slots=True)
class TrendKeyLine:
    """One trend in the key, in the rule's words: "Similar: within 0.5 of the period compared with."."""

    trend: Trend
    label: str
    symbol: str
    text: str

    @property
    def line(self) -> str:
        return f"{self.label}: {self.text}"


TREND_WORDS: Final = MappingProxyType(
    {
        Trend.IMPROVING: "better",
        Trend.UNCHANGED: "similar",
        Trend.WORSENING: "worse",
        Trend.NOT_COMPARABLE: "not-comparable",
        Trend.UP: "up",
        Trend.DOWN: "down",
    }
)
"""Each trend's word in the interchange format (trend_labels' keys, `scrutineer status`)."""
_TREND_BY_WORD: Final = {word: trend for trend, word in TREND_WORDS.items()}

_Member = TypeVar("_Member", Status, Trend)
_JUDGED: Final = JUDGED_STATUSES  # kindest first: green, amber-green, amber, amber-red, red
_RANK: Final = {status: rank for rank, status in enumerate(_JUDGED)}
_LEVELS: Final = ", ".join(status.value for status in _JUDGED)
_NOT_JUDGED: Final = (Status.INFO_ONLY, Status.NO_DATA, Status.NOT_MEASURED)
_SIMILAR_TREND: Final = (Trend.IMPROVING, Trend.UNCHANGED, Trend.WORSENING)


@dataclass(frozen=True)
class StatusRule:
    """A council's status rule: ordered clauses and its own words (see the module docstring).

    `closest_clauses`, when given, replace `clauses` for closest-to-target indicators
    (today's rule is green within the tolerance there, amber within twice it). `labels`,
    `symbols` and `trend_labels` give the council's words; any not given are the
    default words. `similar` is the band within which a figure is similar to an earlier
    one (in the indicator's unit, or percent of the earlier figure).
    """

    name: str
    clauses: tuple[Clause, ...]
    closest_clauses: tuple[Clause, ...] = ()
    labels: Mapping[Status, str] = field(default_factory=dict)
    symbols: Mapping[Status, str] = field(default_factory=dict)
    similar: Within = NOTHING
    trend_labels: Mapping[Trend, str] = field(default_factory=dict)
    forecast_from: ForecastSource | None = None

    def __post_init__(self) -> None:
        set_field = object.__setattr__
        if not isinstance(self.name, str) or not self.name.strip():
            raise StatusRuleError('name: a status rule needs a name, e.g. "Within 5% is green"')
        set_field(self, "name", self.name.strip())
        clauses = _named(self.clauses, "clause")
        closest = _named(self.closest_clauses, "closest_to_target clause") if self.closest_clauses else ()
        _check_clauses(clauses)
        if closest:
            _check_clauses(closest)
        set_field(self, "clauses", clauses)
        set_field(self, "closest_clauses", () if closest == clauses else closest)
        if self.forecast_from is not None:
            try:
                set_field(self, "forecast_from", ForecastSource(self.forecast_from))
            except ValueError:
                raise StatusRuleError(
                    f"forecast: the forecast comes from data or owner, not '{self.forecast_from}'"
                ) from None
        forecasting = [c for c in (*clauses, *closest) if c.forecast_meets_target]
        if forecasting and self.forecast_from is None:
            raise StatusRuleError(
                f'{forecasting[0].name} needs a forecast: say where it comes from with "forecast": '
                '{"from": "data"} (the year so far, carried on) or {"from": "owner"} (a figure entered)'
            )
        if self.forecast_from is not None and not forecasting:
            raise StatusRuleError(
                "forecast: no clause uses the forecast; add one with "
                '"forecast_meets_target": true, or remove "forecast"'
            )
        if not isinstance(self.similar, Within) or self.similar.unit is WithinUnit.TOLERANCE:
            raise StatusRuleError(
                'similar: the similar band is "0.5" (in the indicator\'s unit) or "5%" (of the '
                "earlier figure), not the tolerance"
            )
        # A word for a status the rule never gives would never be shown: a slip in the rule.
        for key, given in (("labels", self.labels), ("symbols", self.symbols)):
            for written in given if isinstance(given, Mapping) else ():
                if written in _RANK and written not in self.statuses:
                    raise StatusRuleError(
                        f"{key}.{written}: the rule gives no figure {written}, so this would never "
                        f"be shown; remove it, or add a clause that gives {written}"
                    )
        set_field(self, "labels", _words(self.labels, "labels", Status, _default_status_label))
        set_field(self, "symbols", _words(self.symbols, "symbols", Status, _default_status_symbol))
        set_field(
            self, "trend_labels", _words(self.trend_labels, "trend_labels", Trend, _default_trend_label)
        )

    def __hash__(self) -> int:
        return hash(
            (
                self.name,
                self.clauses,
                self.closest_clauses,
                tuple(self.labels.items()),
                tuple(self.symbols.items()),
                self.similar,
                tuple(self.trend_labels.items()),
                self.forecast_from,
            )
        )

    # What the rule says

    def clauses_for(self, polarity: Polarity) -> tuple[Clause, ...]:
        """The clauses that judge an indicator of `polarity`."""
        if self.closest_clauses and polarity is Polarity.CLOSEST_TO_TARGET:
            return self.closest_clauses
        return self.clauses

    @property
    def statuses(self) -> tuple[Status, ...]:
        """The judged statuses (green, amber-green, amber, amber-red, red) the rule can give,
        kindest first."""
        given = {c.status for c in (*self.clauses, *self.closest_clauses)}
        return tuple(status for status in _JUDGED if status in given)

    @property
    def needs(self) -> frozenset[str]:
        """The figures beyond the period's own that some clause asks about:
        "last-year", "previous", "forecast"."""
        found: set[str] = set()
        for clause in (*self.clauses, *self.closest_clauses):
            if clause.not_worse_than is not None:
                found.add(clause.not_worse_than.value)
            if clause.forecast_meets_target:
                found.add("forecast")
        return frozenset(found)

    def label(self, status: Status) -> str:
        return self.labels[status]

    def symbol(self, status: Status) -> str:
        return self.symbols[status]

    def trend_label(self, trend: Trend) -> str:
        return self.trend_labels[trend]

    def key(self, polarity: Polarity = Polarity.HIGHER_IS_BETTER, unit: str = "") -> tuple[KeyLine, ...]:
        """The key in the rule's words, one line per status an indicator of `polarity` can
        take, written from the clauses (so it always says what `RuleJudge` does). `unit`
        words an absolute band ("2 percentage points"); without it, "2 (in the indicator's unit)"."""
        polarity = as_polarity(polarity)
        lines = []
        if polarity is not Polarity.INFO_ONLY:
            clauses = self.clauses_for(polarity)
            phrases = _phrases(clauses, unit)
            for status in _JUDGED:
                said = [
                    phrase for clause, phrase in zip(clauses, phrases, strict=True) if clause.status is status
                ]
                if said:
                    lines.append(self._key_line(status, "; or ".join(said) + "."))
        lines.extend(self._key_line(status, status.explanation) for status in _NOT_JUDGED)
        return tuple(lines)

    def explain(self, clause: Clause, polarity: Polarity, unit: str = "") -> str:
        """The key's words for one clause of this rule: why a figure it decided got its status."""
        clauses = self.clauses_for(as_polarity(polarity))
        for mine, phrase in zip(clauses, _phrases(clauses, unit), strict=True):
            if mine == clause:  # unique: a clause equal to an earlier one could never match
                return phrase + "."
        raise StatusRuleError(f"{clause.name or 'the clause'} is not a clause of {self.name}")

    def trend_key(self, unit: str = "") -> tuple[TrendKeyLine, ...]:
        """The trends in the rule's words, with its "similar" band."""
        band = self.similar
        if band.amount:
            width = band.words(unit, of="the earlier figure")
            texts = {
                Trend.IMPROVING: f"better than the period compared with, by more than {width}.",
                Trend.UNCHANGED: f"within {width} of the period compared with, either way.",
                Trend.WORSENING: f"worse than the period compared with, by more than {width}.",
            }
        else:
            texts = {trend: trend.explanation for trend in _SIMILAR_TREND}
        return tuple(
            TrendKeyLine(trend, self.trend_labels[trend], trend.symbol, texts.get(trend, trend.explanation))
            for trend in (*_SIMILAR_TREND, Trend.UP, Trend.DOWN, Trend.NOT_COMPARABLE)
        )

    def _key_line(self, status: Status, text: str) -> KeyLine:
        return KeyLine(status, self.labels[status], self.symbols[status], text)

    # Judging

    def judge(self, polarity: Polarity, tolerance: Tolerance | None = None) -> RuleJudge:
        """The rule compiled for one indicator's polarity and tolerance (cached)."""
        return _rule_judge(self, as_polarity(polarity), tolerance)

    # The interchange format (docs/status-rules.md)

    @classmethod
    def from_json(cls, text: str) -> StatusRule:
        """A rule from its JSON text; `StatusRuleError` naming the key for anything wrong."""
        try:
            data = json.loads(text, parse_float=Decimal, object_pairs_hook=_no_repeats)
        except json.JSONDecodeError as error:
            raise StatusRuleError(
                f"the rule is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
            ) from None
        return cls.from_mapping(data)

    @classmethod
    def from_mapping(cls, data: object) -> StatusRule:
        """A rule from the interchange format, already parsed (see docs/status-rules.md)."""
        if not isinstance(data, Mapping):
            raise StatusRuleError('a status rule is a JSON object: {"name": …, "amber": {"within": "10%"}}')
        _known(data, _RULE_KEYS, "the rule")
        forecast_from = None
        if "forecast" in data:
            forecast = data["forecast"]
            if not isinstance(forecast, Mapping) or set(forecast) != {"from"}:
                raise StatusRuleError('forecast: write {"from": "data"} or {"from": "owner"}')
            try:
                forecast_from = ForecastSource(forecast["from"])
            except ValueError:
                raise StatusRuleError(
                    f'forecast.from: the forecast comes from "data" or "owner", not {forecast["from"]!r}'
                ) from None
        clauses = _parse_clauses(data, "", forecast_from is not None)
        closest: tuple[Clause, ...] = ()
        if "closest_to_target" in data:
            body = data["closest_to_target"]
            if not isinstance(body, Mapping):
                raise StatusRuleError(
                    'closest_to_target: write bands as at the top, {"green": …, "amber": …}'
                )
            _known(body, _BODY_KEYS, "closest_to_target")
            closest = _parse_clauses(body, "closest_to_target.", forecast_from is not None)
        similar = NOTHING
        if "similar" in data:
            similar = _parse_band(data["similar"], "similar")
        return cls(
            name=_text(data.get("name"), "name"),
            clauses=clauses,
            closest_clauses=closest,
            labels=_parse_words(data.get("labels", {}), "labels", Status, Status),
            symbols=_parse_words(data.get("symbols", {}), "symbols", Status, Status),
            similar=similar,
            trend_labels=_parse_words(data.get("trend_labels", {}), "trend_labels", Trend, _trend_of),
            forecast_from=forecast_from,
        )

    def as_mapping(self) -> dict[str, object]:
        """The rule in the interchange format: the short form (green, amber, otherwise)
        where it says the rule, else the ordered clauses. `from_mapping` reads it back."""
        out: dict[str, object] = {"name": self.name}
        out.update(_body_mapping(self.clauses, self.forecast_from))
        if self.forecast_from is not None:
            out["forecast"] = {"from": self.forecast_from.value}
        if self.closest_clauses:
            out["closest_to_target"] = _body_mapping(self.closest_clauses, self.forecast_from)
        for key, words, default in (
            ("labels", self.labels, _default_status_label),
            ("symbols", self.symbols, _default_status_symbol),
        ):
            own = {status.value: word for status, word in words.items() if word != default(status)}
            if own:
                out[key] = own
        if self.similar.amount:
            out["similar"] = {"within": str(self.similar)}
        own_trends = {
            TREND_WORDS[trend]: word
            for trend, word in self.trend_labels.items()
            if word != _default_trend_label(trend)
        }
        if own_trends:
            out["trend_labels"] = own_trends
        return out

    def to_json(self) -> str:
        return json.dumps(self.as_mapping(), ensure_ascii=False, indent=2)


def _default_status_label(status: Status) -> str:
    return status.label


def _default_status_symbol(status: Status) -> str:
    return status.symbol


def _default_trend_label(trend: Trend) -> str:
    return trend.label


def _words(
    given: Mapping[_Member, str], where: str, kind: type[_Member], default: Callable[[_Member], str]
) -> Mapping[_Member, str]:
    """Every member's word: the given ones (checked), the default for the rest."""
    if not isinstance(given, Mapping):
        raise StatusRuleError(f'{where}: give the words as an object, e.g. {{"green": "On target"}}')
    words: dict[_Member, str] = {}
    for member in kind:
        word = given.get(member)
        if word is None:
            word = default(member)
        elif not isinstance(word, str) or not word.strip():
            raise StatusRuleError(f"{where}.{_word_key(member)}: the word must be some text")
        words[member] = word.strip()
    for key in given:
        if key not in words:
            raise StatusRuleError(f"{where}: '{key}' is not one of {', '.join(_word_key(m) for m in kind)}")
    seen: dict[str, _Member] = {}
    for member, word in words.items():
        if word.casefold() in seen:
            raise StatusRuleError(
                f"{where}: '{word}' is the word for both {_word_key(seen[word.casefold()])} and "
                f"{_word_key(member)}; each needs its own, or the two cannot be told apart"
            )
        seen[word.casefold()] = member
    return MappingProxyType(words)


def _word_key(member: Status | Trend) -> str:
    return TREND_WORDS[member] if isinstance(member, Trend) else member.value


def _named(clauses: Iterable[Clause], noun: str) -> tuple[Clause, ...]:
    out = []
    for index, clause in enumerate(clauses, start=1):
        if not isinstance(clause, Clause):
            raise StatusRuleError(f"{noun} {index}: {clause!r} is not a Clause")
        out.append(clause if clause.name else replace(clause, name=f"{noun} {index}"))
    if not out:
        raise StatusRuleError('a status rule needs at least a green band, e.g. "green": {"within": "0"}')
    return tuple(out)


def _check_clauses(clauses: tuple[Clause, ...]) -> None:
    """Refuse clauses that cannot judge every figure sensibly (see the module docstring)."""
    first = clauses[0]
    if first.status is not Status.GREEN or not first.pure:
        raise StatusRuleError(
            f"{first.name} must be a green band with no other condition, so that a figure on "
            'target is green: start with e.g. "green": {"within": "0"} (on target or better only)'
        )
    banded: Clause | None = None
    for index, clause in enumerate(clauses):
        if clause.within is not None and clause.within.amount:
            if (
                banded is not None
                and banded.within is not None
                and clause.within.unit is not banded.within.unit
            ):
                raise StatusRuleError(
                    f"{clause.name} is within {clause.within} but {banded.name} is within "
                    f"{banded.within}: bands in different units overlap for some targets and leave "
                    "gaps for others; give every band in percent of the target, or every band in "
                    "the indicator's unit"
                )
            banded = banded or clause
        for earlier in clauses[:index]:
            if _RANK[clause.status] < _RANK[earlier.status]:
                raise StatusRuleError(
                    f"{clause.name} gives {clause.status} after {earlier.name} gave {earlier.status}: "
                    f"put the kinder statuses first ({_LEVELS}), so that a figure nearer its target "
                    "is never judged worse"
                )
            if earlier.unconditional:
                raise StatusRuleError(
                    f"{clause.name} can never match: {earlier.name} before it takes every figure "
                    f"left; remove {clause.name} or move it before {earlier.name}"
                )
            if _takes_all_of(earlier, clause):
                covered = (
                    f"every figure within {clause.within} of the target"
                    if clause.within is not None
                    else "every figure it covers"
                )
                if earlier.within is not None:
                    band = f" (within {earlier.within})"
                    advice = f"make {clause.name}'s band reach further than {earlier.name}'s"
                else:
                    band, advice = "", f"move {clause.name} before {earlier.name}"
                raise StatusRuleError(
                    f"{clause.name} can never match: {earlier.name}{band} already makes {covered} "
                    f"{earlier.status}; {advice}, or remove it"
                )
    last = clauses[-1]
    if not last.unconditional:
        raise StatusRuleError(
            f"{last.name} leaves a gap: a figure it does not match matches no clause; end with a "
            'clause that takes every figure left, e.g. "otherwise": "red" (or {"status": "red"})'
        )


def _takes_all_of(earlier: Clause, later: Clause) -> bool:
    """True when every figure that matches `later` matches `earlier` first."""
    if not earlier.conditions() <= later.conditions():
        return False
    if earlier.within is None:
        return True
    return later.within is not None and earlier.within.reaches(later.within) is True


# The key's sentences. One wording for every polarity: "missed by" is how far short of
# the target, on the wrong side of it, or (closest to target) either side.


def _phrases(clauses: tuple[Clause, ...], unit: str) -> list[str]:
    """Each clause's condition in words, given that no earlier clause matched."""
    phrases = []
    for index, clause in enumerate(clauses):
        earlier = clauses[:index]
        reached = [c.within for c in earlier if c.pure and c.within is not None]
        start = max(reached, key=lambda w: w.amount) if reached else None
        within = clause.within
        if within is None:
            base = (
                "the target was missed"
                if start is None or not start.amount
                else f"the target was missed by more than {start.words(unit)}"
            )
        elif start is None:
            base = (
                f"the target was met or missed by no more than {within.words(unit)}"
                if within.amount
                else "the target was met"
            )
        elif not start.amount:
            base = f"the target was missed, but by no more than {within.words(unit)}"
        else:
            base = f"the target was missed by more than {start.words(unit)}, but by no more than {within.words(unit)}"
        conditions = _condition_words(clause)
        if conditions:
            base += f" and {conditions}"
        unless = []
        for other in earlier:
            if not other.conditional:
                continue
            if other.within is not None and start is not None and start.reaches(other.within):
                continue  # its band lies inside the earlier bands: it cannot have taken this figure
            if other.within is None or (within is not None and other.within.reaches(within)):
                unless.append(_condition_words(other))
            else:
                unless.append(
                    f"the target was missed by no more than {other.within.words(unit)} and {_condition_words(other)}"
                )
        if unless:
            base += ", unless " + ", or ".join(unless)
        phrases.append(base)
    return phrases


_COMPARED_WITH: Final = {
    Comparand.LAST_YEAR: "the same period last year",
    Comparand.PREVIOUS: "the previous period",
}


def _condition_words(clause: Clause) -> str:
    said = []
    if clause.not_worse_than is not None:
        said.append(f"the figure is not worse than {_COMPARED_WITH[clause.not_worse_than]}")
    if clause.forecast_meets_target:
        said.append("the year-end forecast meets the year-end target")
    return " and ".join(said)


# Parsing the interchange format

_RULE_KEYS: Final = (
    "name",
    "green",
    "amber-green",
    "amber",
    "amber-red",
    "otherwise",
    "clauses",
    "forecast",
    "closest_to_target",
    "labels",
    "symbols",
    "similar",
    "trend_labels",
)
_BODY_KEYS: Final = ("green", "amber-green", "amber", "amber-red", "otherwise", "clauses")
_MIDDLE_BANDS: Final = (
    ("amber-green", Status.AMBER_GREEN),
    ("amber", Status.AMBER),
    ("amber-red", Status.AMBER_RED),
)
"""The short form's bands after green, in the order a rule must give them."""
_LAST_LEVELS: Final = tuple(status.value for status in _JUDGED[1:])
"""What "otherwise" may name: any level but green (red when it is not given)."""
_QUOTED_LAST_LEVELS: Final = ", ".join(f'"{level}"' for level in _LAST_LEVELS)
_SHORT_KEYS: Final = ("green", *(key for key, _ in _MIDDLE_BANDS), "otherwise")
_CLAUSE_KEYS: Final = ("status", "within", "not_worse_than", "forecast_meets_target")


def _no_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, value in pairs:
        if key in found:
            raise StatusRuleError(f"'{key}' is given twice; give each key once")
        found[key] = value
    return found


def _known(data: Mapping[object, object], keys: tuple[str, ...], where: str) -> None:
    for key in data:
        if key not in keys:
            raise StatusRuleError(f"{where}: unknown key '{key}'; the keys are {', '.join(keys)}")


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise StatusRuleError(f'{where}: a status rule needs a name, e.g. "Within 5% is green"')
    return value


def _trend_of(word: str) -> Trend:
    return _TREND_BY_WORD[word]


def _parse_words(
    data: object, where: str, kind: type[_Member], convert: Callable[[str], _Member]
) -> dict[_Member, str]:
    if not isinstance(data, Mapping):
        raise StatusRuleError(f'{where}: give the words as an object, e.g. {{"green": "On target"}}')
    allowed = list(TREND_WORDS.values()) if kind is Trend else [s.value for s in Status]
    out: dict[_Member, str] = {}
    for key, word in data.items():
        if key not in allowed:
            raise StatusRuleError(f"{where}: unknown key '{key}'; the keys are {', '.join(allowed)}")
        out[convert(key)] = word
    return out


def _parse_band(value: object, where: str) -> Within:
    if not isinstance(value, Mapping) or set(value) != {"within"}:
        raise StatusRuleError(f'{where}: write {{"within": "5%"}} (or "2", "0", "tolerance")')
    return Within.parse(value["within"], f"{where}.within")


def _parse_clauses(data: Mapping[str, object], where: str, forecast: bool) -> tuple[Clause, ...]:
    """The clauses of a rule (or its closest_to_target part) from the short form or a list."""
    if "clauses" in data:
        mixed = [key for key in _SHORT_KEYS if key in data]
        if mixed:
            raise StatusRuleError(
                f"{where}clauses: give either clauses or {', '.join(mixed)}, not both; the short form "
                f"({', '.join(_SHORT_KEYS)}) is a list of clauses already"
            )
        items = data["clauses"]
        if not isinstance(items, list) or not items:
            raise StatusRuleError(
                f'{where}clauses: a list of clauses, e.g. [{{"status": "green", "within": "5%"}}, …]'
            )
        return tuple(_parse_clause(item, f"{where}clause {n}") for n, item in enumerate(items, start=1))
    green = _parse_band(data["green"], f"{where}green") if "green" in data else NOTHING
    clauses = [Clause(Status.GREEN, green, name=f"{where}green")]
    for key, level in _MIDDLE_BANDS:
        if key in data:
            clauses.append(Clause(level, _parse_band(data[key], f"{where}{key}"), name=f"{where}{key}"))
    if forecast:
        clauses.append(Clause(Status.AMBER, forecast_meets_target=True, name=f"{where}forecast"))
    otherwise = data.get("otherwise", "red")
    if isinstance(otherwise, Mapping) and set(otherwise) == {"amber_if_not_worse_than"}:
        compared = otherwise["amber_if_not_worse_than"]
        if compared not in (Comparand.LAST_YEAR.value, Comparand.PREVIOUS.value):
            raise StatusRuleError(
                f'{where}otherwise.amber_if_not_worse_than: "last-year" or "previous", not {json.dumps(compared, default=str)}'
            )
        clauses.append(Clause(Status.AMBER, not_worse_than=Comparand(compared), name=f"{where}otherwise"))
    elif otherwise not in _LAST_LEVELS:
        raise StatusRuleError(
            f"{where}otherwise: write the status of every figure beyond the last band "
            f"({_QUOTED_LAST_LEVELS}), or "
            '{"amber_if_not_worse_than": "last-year"} (or "previous")'
        )
    last = Status(otherwise) if isinstance(otherwise, str) else Status.RED
    clauses.append(Clause(last, name=f"{where}otherwise"))
    return tuple(clauses)


def _parse_clause(item: object, where: str) -> Clause:
    if not isinstance(item, Mapping) or "status" not in item:
        raise StatusRuleError(
            f'{where}: a clause is an object with a status, e.g. {{"status": "amber", "within": "10%"}}'
        )
    _known(item, _CLAUSE_KEYS, where)
    within = Within.parse(item["within"], f"{where}.within") if "within" in item else None
    return Clause(
        item["status"],  # checked by Clause, as are the two below
        within,
        item.get("not_worse_than"),
        item.get("forecast_meets_target", False),
        name=where,
    )


def _body_mapping(clauses: tuple[Clause, ...], forecast_from: ForecastSource | None) -> dict[str, object]:
    """Clauses in the short form when it says them exactly, else as a list."""
    rest = list(clauses)
    short: dict[str, object] = {}
    green = rest.pop(0)
    if green.within is not None and green.within.amount:
        short["green"] = {"within": str(green.within)}
    for key, level in _MIDDLE_BANDS:
        if rest and rest[0].status is level and rest[0].pure:
            short[key] = {"within": str(rest.pop(0).within)}
    forecast_clause = Clause(Status.AMBER, forecast_meets_target=True)
    if forecast_from is not None and rest and rest[0] == forecast_clause:
        rest.pop(0)
        forecasting = True
    else:
        forecasting = False
    compared = rest[0].not_worse_than if rest else None
    if compared is not None and rest[0] == Clause(Status.AMBER, not_worse_than=compared):
        rest.pop(0)
        short["otherwise"] = {"amber_if_not_worse_than": compared.value}
    if len(rest) == 1 and rest[0].unconditional and forecasting == (forecast_from is not None):
        last = rest[0].status
        if last is Status.RED:
            return short
        if "otherwise" not in short and last.value in _LAST_LEVELS:
            short["otherwise"] = last.value
            return short
    return {"clauses": [_clause_mapping(clause) for clause in clauses]}


def _clause_mapping(clause: Clause) -> dict[str, object]:
    out: dict[str, object] = {"status": clause.status.value}
    if clause.within is not None:
        out["within"] = str(clause.within)
    if clause.not_worse_than is not None:
        out["not_worse_than"] = clause.not_worse_than.value
    if clause.forecast_meets_target:
        out["forecast_meets_target"] = True
    return out


# Judging


_HIGHER: Final = Polarity.HIGHER_IS_BETTER
_LOWER: Final = Polarity.LOWER_IS_BETTER
_CLOSEST: Final = Polarity.CLOSEST_TO_TARGET
_INFO: Final = Polarity.INFO_ONLY
_NOT_WORSE: Final = frozenset({Trend.IMPROVING, Trend.UNCHANGED})
_EDGE_CACHE_SIZE: Final = 4096
_NEEDED: Final = {
    "last-year": "the figure for the same period last year",
    "previous": "the figure for the previous period",
    "forecast": "a year-end forecast and the year-end target",
}
Edges = tuple[Decimal | None, ...]


class RuleJudge:
    """A status rule compiled for one polarity and tolerance; built once, used for a history.

    Each band's edge depends only on the target, so the edges are worked out once per
    distinct target. The leading bands with no other condition (all of the default
    rule's) cost a comparison each; the rest are tried only when those do not match.
    """

    __slots__ = (
        "_edges",
        "_fallback",
        "_more",
        "_prefix",
        "clauses",
        "needs_context",
        "polarity",
        "rule",
        "tolerance",
        "unsettled",
    )

    def __init__(self, rule: StatusRule, polarity: Polarity, tolerance: Tolerance | None) -> None:
        if tolerance is not None and not isinstance(tolerance, Tolerance):
            raise StatusRuleError(f"{tolerance!r} is not a Tolerance")
        self.rule = rule
        self.polarity = as_polarity(polarity)
        self.tolerance = tolerance
        self.clauses = rule.clauses_for(self.polarity)
        prefix = 0
        while self.clauses[prefix].pure:
            prefix += 1
        self._prefix = tuple(clause.status for clause in self.clauses[:prefix])
        self._more = tuple(range(1, prefix))
        tail = self.clauses[prefix:]
        # After the leading bands, the default rule has only "otherwise": no walk needed.
        self._fallback = tail[0].status if len(tail) == 1 else None
        self.needs_context = any(clause.conditional for clause in self.clauses)
        # `assess` gives a status from the leading bands (final) or, past them, from a
        # later clause without conditions; only the latter can change in context.
        self.unsettled = frozenset(clause.status for clause in tail if not clause.conditional)
        self._edges: dict[Decimal, Edges] = {}

    def assess(self, value: Decimal | None, target: Decimal | None, not_measured: bool = False) -> Status:
        """The status of `value` against `target` with no earlier figures or forecast: a
        clause that needs them does not match (the conservative status)."""
        if not_measured:
            return Status.NOT_MEASURED
        if value is None:
            return Status.NO_DATA
        if not value.is_finite():
            raise NonFiniteFigureError(f"figure {value} is not a number; enter a real figure")
        polarity = self.polarity
        if target is None or polarity is _INFO:
            return Status.INFO_ONLY
        try:
            edges = self._edges.get(target)
        except TypeError:  # a signalling NaN cannot even be hashed; _edges_for says why
            edges = None
        if edges is None:
            edges = self._edges_for(target)
        # The first band, then any more leading bands: unrolled, as this runs per figure.
        prefix = self._prefix
        if polarity is _HIGHER:
            if value >= edges[0]:  # type: ignore[operator]  # a band's edge is never None
                return prefix[0]
            for index in self._more:
                if value >= edges[index]:  # type: ignore[operator]
                    return prefix[index]
        elif polarity is _LOWER:
            if value <= edges[0]:  # type: ignore[operator]
                return prefix[0]
            for index in self._more:
                if value <= edges[index]:  # type: ignore[operator]
                    return prefix[index]
        else:
            distance = EXACT.abs(EXACT.subtract(value, target))
            if distance <= edges[0]:  # type: ignore[operator]
                return prefix[0]
            for index in self._more:
                if distance <= edges[index]:  # type: ignore[operator]
                    return prefix[index]
        if self._fallback is not None:
            return self._fallback
        return self._walk(value, target, edges, None, None, None, strict=False)[0]

    def verdict(
        self,
        value: Decimal | None,
        target: Decimal | None,
        not_measured: bool = False,
        *,
        trend_previous: Trend | None = None,
        trend_last_year: Trend | None = None,
        forecast_meets: bool | None = None,
        strict: bool = False,
    ) -> tuple[Status, Clause | None]:
        """The status and the clause that decided it (None before the bands: no data…).

        `trend_previous` and `trend_last_year` are the figure's trends (`trend`); None
        or not comparable means there is no figure to compare. `forecast_meets` is
        `meets(forecast, year_end_target)`. A clause that needs what is missing does not
        match; with `strict`, `FigureNeededError` says what is needed instead, when the
        status depends on it.
        """
        status = self.assess(value, target, not_measured)
        if status not in _RANK:
            return status, None
        assert value is not None and target is not None  # else not judged, above
        return self.decide(value, target, trend_previous, trend_last_year, forecast_meets, strict=strict)

    def decide(
        self,
        value: Decimal,
        target: Decimal,
        trend_previous: Trend | None,
        trend_last_year: Trend | None,
        forecast_meets: bool | None,
        *,
        strict: bool = False,
    ) -> tuple[Status, Clause]:
        """`verdict` for a figure `assess` has already judged green, amber or red (the
        bulk path in `evaluate_history`, which has the figure's trends by then)."""
        edges = self._edges.get(target) or self._edges_for(target)
        return self._walk(
            value, target, edges, trend_previous, trend_last_year, forecast_meets, strict=strict
        )

    def _walk(
        self,
        value: Decimal,
        target: Decimal,
        edges: Edges,
        trend_previous: Trend | None,
        trend_last_year: Trend | None,
        forecast_meets: bool | None,
        *,
        strict: bool,
    ) -> tuple[Status, Clause]:
        polarity = self.polarity
        distance = EXACT.abs(EXACT.subtract(value, target)) if polarity is _CLOSEST else value
        for clause, edge in zip(self.clauses, edges, strict=True):
            if edge is not None:  # _inside, inlined: this runs per figure
                if polarity is _HIGHER:
                    if value < edge:
                        continue
                elif polarity is _LOWER:
                    if value > edge:
                        continue
                elif distance > edge:
                    continue
            missing = None
            holds = True
            compared = clause.not_worse_than
            if compared is not None:
                found = trend_last_year if compared is Comparand.LAST_YEAR else trend_previous
                if found is None or found is Trend.NOT_COMPARABLE:
                    missing = compared.value
                elif found not in _NOT_WORSE:
                    holds = False
            if clause.forecast_meets_target:
                if forecast_meets is None:
                    missing = missing or "forecast"
                elif not forecast_meets:
                    holds = False
            if not holds:
                continue
            if missing is not None:
                if strict:
                    raise FigureNeededError(
                        f"the clause '{clause.name}' decides this figure only with {_NEEDED[missing]}, "
                        "which was not given",
                        needs=missing,
                    )
                continue
            return clause.status, clause
        raise AssertionError("a rule's last clause takes every figure")  # checked by StatusRule

    def _inside(self, value: Decimal, target: Decimal, edge: Decimal) -> bool:
        polarity = self.polarity
        if polarity is _HIGHER:
            return value >= edge
        if polarity is _LOWER:
            return value <= edge
        return EXACT.abs(EXACT.subtract(value, target)) <= edge

    def _edges_for(self, target: Decimal) -> Edges:
        """Each clause's edge for `target`, exactly: the lowest figure it takes (higher is
        better), the highest (lower is better) or the furthest distance (closest)."""
        if not target.is_finite():
            raise NonFiniteFigureError(f"target {target} is not a number; set a real target")
        tolerance, polarity = self.tolerance, self.polarity
        edges: list[Decimal | None] = []
        for clause in self.clauses:
            if clause.within is None:
                edges.append(None)
                continue
            width = clause.within.width(target, tolerance)
            if polarity is _HIGHER:
                edges.append(EXACT.subtract(target, width))
            elif polarity is _LOWER:
                edges.append(EXACT.add(target, width))
            else:
                edges.append(width)
        found = tuple(edges)
        if len(self._edges) >= _EDGE_CACHE_SIZE:
            self._edges.clear()
        self._edges[target] = found
        return found

    def meets(self, forecast: Decimal | None, year_end_target: Decimal | None) -> bool | None:
        """Whether `forecast` meets `year_end_target` by the rule's first green band
        (None when either is missing)."""
        if forecast is None or year_end_target is None:
            return None
        edge = self._edges_for(year_end_target)[0]
        assert edge is not None  # the first clause is a band (StatusRule checks)
        return self._inside(forecast, year_end_target, edge)

    def trend(self, current: Decimal | None, comparison: Decimal | None, target: Decimal | None) -> Trend:
        """The trend between figures already rounded as shown, with the rule's similar band."""
        if current is None or comparison is None:
            return Trend.NOT_COMPARABLE
        similar = self.rule.similar
        if not similar.amount:
            width = ZERO
        elif similar.unit is WithinUnit.UNITS:
            width = similar.amount
        else:
            width = similar.width(comparison, None)
        return trend_of_rounded(current, comparison, self.polarity, target, width)


@lru_cache(maxsize=1024)
def _rule_judge(rule: StatusRule, polarity: Polarity, tolerance: Tolerance | None) -> RuleJudge:
    return RuleJudge(rule, polarity, tolerance)


# One figure at a time: `scrutineer status`, and a page that tries a rule out.


@dataclass(frozen=True, slots=True)
class Judgement:
    """One figure judged by a rule, in the rule's words, with the clause that decided."""

    status: Status
    label: str
    symbol: str
    clause: str
    reason: str
    trend_previous: Trend
    trend_last_year: Trend
    trend_previous_label: str
    trend_last_year_label: str
    forecast_meets_target: bool | None


def judge_figure(
    rule: StatusRule,
    polarity: Polarity,
    value: Decimal | None,
    target: Decimal | None,
    *,
    previous: Decimal | None = None,
    last_year: Decimal | None = None,
    forecast: Decimal | None = None,
    year_end_target: Decimal | None = None,
    tolerance: Tolerance | None = None,
    places: int | None = None,
    not_measured: bool = False,
    unit: str = "",
) -> Judgement:
    """Judge one figure by `rule`, strictly: `FigureNeededError` when the status depends on
    a figure not given (last year's, the previous period's, a forecast).

    Figures are rounded half-up to `places` first when it is given, as `evaluate` does.
    The year-end target is `target` unless given. `unit` words the reason's bands.
    """
    polarity = as_polarity(polarity)
    if places is not None:
        quantum = check_places(places)

        def shown(figure: Decimal | None) -> Decimal | None:
            return None if figure is None else HALF_UP.quantize(figure, quantum)

        value, previous, last_year, forecast = (
            shown(value),
            shown(previous),
            shown(last_year),
            shown(forecast),
        )
    judge = rule.judge(polarity, tolerance)
    if value is None or not_measured:
        trend_previous = trend_last_year = Trend.NOT_COMPARABLE
    else:
        trend_previous = judge.trend(value, previous, target)
        trend_last_year = judge.trend(value, last_year, target)
    meets = judge.meets(forecast, target if year_end_target is None else year_end_target)
    status, clause = judge.verdict(
        value,
        target,
        not_measured,
        trend_previous=None if previous is None else trend_previous,
        trend_last_year=None if last_year is None else trend_last_year,
        forecast_meets=meets,
        strict=True,
    )
    if clause is not None:
        # The judge is shared by equal rules; name the clause as this rule does.
        clause = rule.clauses_for(polarity)[judge.clauses.index(clause)]
    return Judgement(
        status=status,
        label=rule.label(status),
        symbol=rule.symbol(status),
        clause=clause.name if clause is not None else "",
        reason=rule.explain(clause, polarity, unit) if clause is not None else status.explanation,
        trend_previous=trend_previous,
        trend_last_year=trend_last_year,
        trend_previous_label=rule.trend_label(trend_previous),
        trend_last_year_label=rule.trend_label(trend_last_year),
        forecast_meets_target=meets,
    )


DEFAULT_RULE: Final = StatusRule(
    name="Amber within the tolerance",
    clauses=(
        Clause(Status.GREEN, NOTHING, name="green"),
        Clause(Status.AMBER, Within(Decimal(1), WithinUnit.TOLERANCE), name="amber"),
        Clause(Status.RED, name="otherwise"),
    ),
    closest_clauses=(
        Clause(Status.GREEN, Within(Decimal(1), WithinUnit.TOLERANCE), name="closest_to_target.green"),
        Clause(Status.AMBER, Within(Decimal(2), WithinUnit.TOLERANCE), name="closest_to_target.amber"),
        Clause(Status.RED, name="closest_to_target.otherwise"),
    ),
)
"""The default rule, as the seed council words it: at or beyond the target green, short of it by no more than
the tolerance amber, further red; closest to target, green within the tolerance either
side and amber within twice it. In the default words, so its key is `Status.description`."""
