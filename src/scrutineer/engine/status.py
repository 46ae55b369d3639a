"""Status against target: how green, amber and red are decided by default.

This is the default status rule (the seed council's), which gives green, amber and red.
A council's rule may use up to five judged levels, kindest to harshest green,
amber-green, amber, amber-red and red (`JUDGED_STATUSES`, the delivery-confidence scale
public bodies use), each with its own word and symbol. A council that words its rule otherwise
(a green band short of the target, an improvement split, pass/fail, a forecast) sets a
`StatusRule` (`rules.py`), which keeps steps 1 to 3 below and replaces step 4; the
default is one such rule too (`rules.DEFAULT_RULE`), held to the same statuses as `Judge`
by a property test.

In order of precedence:

1. A figure that is not a real measurement (the service was suspended) is
   **not measured**, whatever the figure: a suspended service is never green.
2. No figure is **no data**.
3. An info-only indicator, or a period without a target, is **info only**.
4. Otherwise the figure is judged against the target with the amber band, whose width
   is the tolerance: an absolute amount, or a percentage of the target's size.

   - Higher is better: at or above target is green; short of it by no more than the
     band is amber; further short is red.
   - Lower is better: at or below target is green; over it by no more than the band is
     amber; further over is red.
   - Closest to target: within the band either side is green; within twice the band is
     amber; further away is red. (A band of zero means only the target itself is green.)

Edges count in the kinder status: exactly on target is green, exactly on the band's
edge is amber. The edges are computed exactly, however large or small the figures.
Callers judge the figure as it is shown (rounded to the indicator's decimal places),
so that a figure printed as "20%" against "Target: 20%" is never red.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Final

from scrutineer.engine.errors import NonFiniteFigureError, RuleError, ToleranceError
from scrutineer.engine.figures import EXACT, ZERO, plain


class Polarity(StrEnum):
    """Which way is good for an indicator."""

    HIGHER_IS_BETTER = "higher-is-better"
    LOWER_IS_BETTER = "lower-is-better"
    CLOSEST_TO_TARGET = "closest-to-target"
    INFO_ONLY = "info-only"


def as_polarity(value: object) -> Polarity:
    """`value` as a `Polarity` (it may be the stored text); `RuleError` if it is none."""
    try:
        return Polarity(str(value))
    except ValueError:
        raise RuleError(
            f"'{value}' is not a polarity; use higher-is-better, lower-is-better, "
            f"closest-to-target or info-only"
        ) from None


class Status(StrEnum):
    """A figure's standing against its target (see the module docstring for the rules).

    Every status has a word (`label`), a distinct text symbol that survives PDF text
    extraction and screen readers (`symbol`), and a sentence for a report's key
    (`description`), so no status is ever shown by colour alone.
    """

    GREEN = "green"
    AMBER_GREEN = "amber-green"
    AMBER = "amber"
    AMBER_RED = "amber-red"
    RED = "red"
    INFO_ONLY = "info-only"
    NO_DATA = "no-data"
    NOT_MEASURED = "not-measured"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def symbol(self) -> str:
        return _STATUS_SYMBOLS[self]

    @property
    def description(self) -> str:
        """The key's sentence in the default words: "Green: the target was met."."""
        return f"{_STATUS_LABELS[self]}: {_STATUS_EXPLANATIONS[self]}"

    @property
    def explanation(self) -> str:
        """`description` without the label, so a council's own word can lead it."""
        return _STATUS_EXPLANATIONS[self]

    @property
    def is_measurable(self) -> bool:
        """True for the judged statuses (green to red, `JUDGED_STATUSES`): those that count as
        measurable targets."""
        return self in _MEASURABLE


_STATUS_LABELS: Final = {
    Status.GREEN: "Green",
    Status.AMBER_GREEN: "Amber/Green",
    Status.AMBER: "Amber",
    Status.AMBER_RED: "Amber/Red",
    Status.RED: "Red",
    Status.INFO_ONLY: "Info Only",
    Status.NO_DATA: "No Data",
    Status.NOT_MEASURED: "Not measured",
}
_STATUS_SYMBOLS: Final = {
    Status.GREEN: "✓",
    Status.AMBER_GREEN: "≈",
    Status.AMBER: "!",
    Status.AMBER_RED: "‼",
    Status.RED: "✗",
    Status.INFO_ONLY: "i",
    Status.NO_DATA: "–",
    Status.NOT_MEASURED: "○",
}
# The default vocabulary's key. Green, amber and red are what the default status rule
# (`rules.DEFAULT_RULE`) says of itself, word for word; a test holds them equal.
_STATUS_EXPLANATIONS: Final = {
    Status.GREEN: "the target was met.",
    Status.AMBER_GREEN: "the target was missed, but only narrowly.",
    Status.AMBER: "the target was missed, but by no more than the tolerance allowed.",
    Status.AMBER_RED: "the target was missed by more than amber allows, but not by enough to be red.",
    Status.RED: "the target was missed by more than the tolerance allowed.",
    Status.INFO_ONLY: "the figure is reported for information, without a target.",
    Status.NO_DATA: "there is no figure for the period; the reason is given.",
    Status.NOT_MEASURED: (
        "the figure is not a real measurement (for example, the service "
        "was suspended), so it is not judged against the target."
    ),
}
JUDGED_STATUSES: Final = (Status.GREEN, Status.AMBER_GREEN, Status.AMBER, Status.AMBER_RED, Status.RED)
"""The statuses a status rule judges a figure to, kindest to harshest: the five levels of
the delivery-confidence scale public bodies use. The default rule gives green, amber and
red only; a council's rule may use any of them in this order (`rules.StatusRule`)."""
_MEASURABLE: Final = frozenset(JUDGED_STATUSES)


class ToleranceKind(StrEnum):
    """Whether a tolerance is an amount in the indicator's unit or a percentage of target."""

    ABSOLUTE = "absolute"
    PERCENTAGE = "percentage"


@dataclass(frozen=True, slots=True)
class Tolerance:
    """The width of the amber band: `amount` in the indicator's unit, or `amount`% of target."""

    kind: ToleranceKind
    amount: Decimal

    def __post_init__(self) -> None:
        if type(self.kind) is not ToleranceKind:
            try:
                object.__setattr__(self, "kind", ToleranceKind(self.kind))
            except ValueError:
                raise ToleranceError(
                    f"'{self.kind}' is not a kind of tolerance; use absolute or percentage"
                ) from None
        amount = self.amount
        if isinstance(amount, int) and not isinstance(amount, bool):
            amount = Decimal(amount)
            object.__setattr__(self, "amount", amount)
        if not isinstance(amount, Decimal) or not amount.is_finite() or amount < ZERO:
            raise ToleranceError(
                f"tolerance {amount} must be a number of 0 or more (0 means any miss of the target is red)"
            )

    def band(self, target: Decimal) -> Decimal:
        """The amber band's width around `target` (a percentage applies to its size)."""
        if self.kind is ToleranceKind.ABSOLUTE:
            return self.amount
        return EXACT.multiply(self.amount, EXACT.abs(target)).scaleb(-2, EXACT)

    def describe(self, unit: str = "", *, polarity: Polarity | None = None) -> str:
        """The rule in words for a report's key: "Amber when within 10% of target"."""
        amount = plain(self.amount)
        if self.kind is ToleranceKind.PERCENTAGE:
            width, double = f"{amount}%", f"{plain(EXACT.multiply(self.amount, 2))}%"
        elif unit == "%":
            width = f"{amount} percentage points"
            double = f"{plain(EXACT.multiply(self.amount, 2))} percentage points"
        else:
            width = f"{amount} {unit}".rstrip()
            double = f"{plain(EXACT.multiply(self.amount, 2))} {unit}".rstrip()
        if polarity is Polarity.CLOSEST_TO_TARGET:
            if not self.amount:
                return "Green only when exactly on target; otherwise red"
            return f"Green when within {width} of target, amber when within {double}"
        if not self.amount:
            return "No amber band: any figure that misses its target is red"
        return f"Amber when within {width} of target"


NO_TOLERANCE: Final = Tolerance(ToleranceKind.ABSOLUTE, ZERO)

_HIGHER: Final = Polarity.HIGHER_IS_BETTER
_LOWER: Final = Polarity.LOWER_IS_BETTER
_CLOSEST: Final = Polarity.CLOSEST_TO_TARGET
_INFO: Final = Polarity.INFO_ONLY
_GREEN: Final = Status.GREEN
_AMBER: Final = Status.AMBER
_RED: Final = Status.RED
_EDGE_CACHE_SIZE: Final = 4096


@dataclass(frozen=True, slots=True)
class Judge:
    """Assesses figures for one polarity and tolerance; built once, used for a whole history.

    The edges of the green and amber bands depend only on the target, so they are
    worked out once per distinct target and then each figure costs two comparisons.
    """

    polarity: Polarity
    tolerance: Tolerance | None = None
    _edges: dict[Decimal, tuple[Decimal, Decimal, Decimal, Decimal]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if type(self.polarity) is not Polarity:
            object.__setattr__(self, "polarity", as_polarity(self.polarity))
        if self.tolerance is not None and not isinstance(self.tolerance, Tolerance):
            raise ToleranceError(f"{self.tolerance!r} is not a Tolerance")

    def assess(self, value: Decimal | None, target: Decimal | None, not_measured: bool = False) -> Status:
        """The status of `value` against `target` (see the module docstring)."""
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
        if polarity is _HIGHER:
            if value >= edges[0]:
                return _GREEN
            return _AMBER if value >= edges[2] else _RED
        if polarity is _LOWER:
            if value <= edges[1]:
                return _GREEN
            return _AMBER if value <= edges[3] else _RED
        if edges[0] <= value <= edges[1]:
            return _GREEN
        return _AMBER if edges[2] <= value <= edges[3] else _RED

    def _edges_for(self, target: Decimal) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        """(green low, green high, amber low, amber high) for `target`, exactly."""
        if not target.is_finite():
            raise NonFiniteFigureError(f"target {target} is not a number; set a real target")
        band = ZERO if self.tolerance is None else self.tolerance.band(target)
        if self.polarity is _CLOSEST:
            double = EXACT.add(band, band)
            edges = (
                EXACT.subtract(target, band),
                EXACT.add(target, band),
                EXACT.subtract(target, double),
                EXACT.add(target, double),
            )
        else:
            edges = (target, target, EXACT.subtract(target, band), EXACT.add(target, band))
        if len(self._edges) >= _EDGE_CACHE_SIZE:
            self._edges.clear()
        self._edges[target] = edges
        return edges


@lru_cache(maxsize=256)
def _judge(polarity: Polarity, tolerance: Tolerance | None) -> Judge:
    return Judge(polarity, tolerance)


def assess(
    value: Decimal | None,
    target: Decimal | None,
    polarity: Polarity,
    tolerance: Tolerance | None,
    *,
    not_measured: bool = False,
) -> Status:
    """The status of `value` against `target` (see the module docstring).

    `tolerance` None means no amber band. For many figures, build a `Judge` once.
    """
    return _judge(polarity, tolerance).assess(value, target, not_measured)
