"""Where a council sits among its comparators (engine/benchmarks.py): properties."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from scrutineer.engine import Period, Polarity
from scrutineer.engine.benchmarks import position

Q1 = Period.parse("2020-21-Q1")
figures = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


@given(figures, st.lists(st.one_of(st.none(), figures), max_size=20), figures)
def test_a_better_figure_never_ranks_worse(council, others, gain):
    gain = abs(gain)
    for polarity, better in (
        (Polarity.HIGHER_IS_BETTER, council + gain),
        (Polarity.LOWER_IS_BETTER, council - gain),
    ):
        now, improved = position(Q1, council, others, polarity), position(Q1, better, others, polarity)
        assert improved.rank <= now.rank
        assert 1 <= now.rank <= now.areas and 1 <= now.quartile <= 4


@given(figures, st.lists(figures, max_size=20))
def test_mirroring_the_figures_reverses_the_ranking_polarity(council, others):
    up = position(Q1, council, others, Polarity.HIGHER_IS_BETTER)
    down = position(Q1, -council, [-v for v in others], Polarity.LOWER_IS_BETTER)
    assert (up.rank, up.quartile, up.areas) == (down.rank, down.quartile, down.areas)


def test_ties_share_a_rank_and_closest_to_target_is_not_ranked():
    tied = position(Q1, Decimal(5), [Decimal(5), Decimal(7), None], Polarity.HIGHER_IS_BETTER)
    assert (tied.rank, tied.areas, tied.missing) == (2, 3, 1)
    assert position(Q1, Decimal(5), [Decimal(7)], Polarity.CLOSEST_TO_TARGET).rank is None
