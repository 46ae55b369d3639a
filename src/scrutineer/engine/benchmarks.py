"""Where a council sits among its comparators: rank, quartile and median.

The rule behind the "Compared with other councils" table (LG Inform comparisons, e.g.
CIPFA nearest neighbours): the best figure by the indicator's polarity ranks 1, areas
with the same figure share a rank, the quartile follows from the rank among the areas
with a figure, and an indicator where neither a higher nor a lower figure is better is
not ranked.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from scrutineer.engine.periods import Period
from scrutineer.engine.status import Polarity

__all__ = ["QUARTILES", "Position", "position"]


QUARTILES = {
    1: "Top quartile (best 25%)",
    2: "Second quartile",
    3: "Third quartile",
    4: "Bottom quartile (worst 25%)",
}


@dataclass(frozen=True, slots=True)
class Position:
    """Where the council's figure for `period` sits among the compared areas'."""

    period: Period
    council: Decimal | None
    rank: int | None
    """1 = the best figure; areas with the same figure share a rank."""
    areas: int
    """Compared areas with a figure, the council among them."""
    quartile: int | None
    """1 = among the best quarter of the areas, 4 = the worst."""
    median: Decimal | None
    missing: int
    """Compared areas with no figure for the period."""
    why_unranked: str = ""

    @property
    def quartile_words(self) -> str:
        return QUARTILES.get(self.quartile or 0, "")


def position(
    period: Period, council: Decimal | None, others: Iterable[Decimal | None], polarity: Polarity
) -> Position:
    """Rank the council's figure among `others` (the other compared areas' figures)."""
    rest = list(others)
    figures = [v for v in (council, *rest) if v is not None]
    missing = sum(1 for v in (council, *rest) if v is None)
    median = statistics.median(figures) if figures else None
    if council is None:
        return Position(period, None, None, len(figures), None, median, missing, "No figure for the council")
    if polarity not in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER):
        return Position(
            period,
            council,
            None,
            len(figures),
            None,
            median,
            missing,
            "Not ranked: for this indicator neither a higher nor a lower figure is better",
        )
    higher = polarity is Polarity.HIGHER_IS_BETTER
    better = sum(1 for v in rest if v is not None and (v > council if higher else v < council))
    rank = better + 1
    quartile = 1 + (4 * (rank - 1)) // len(figures)
    return Position(period, council, rank, len(figures), quartile, median, missing)
