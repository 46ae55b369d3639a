"""How one stored figure reads: the single treatment every page, report and action uses.

A figure is shown as the engine judges it once approved; before that as "No Data:
Awaiting approval (Draft | Submitted | Returned …)", because councillors see only what was
signed off; a stored row its kind of measure cannot read as "No Data" saying why, so no
page fails. `as_if_approved` judges a figure as its approver is about to sign it off (the
entry and review pages, and whether submitting it needs a comment).

This lives with the figures (below `performance`, which builds tables and histories from
it), so the collection actions can ask it without reaching up to the read path's tables.
"""

from __future__ import annotations

from scrutineer.catalogue.models import Indicator, default_tolerance
from scrutineer.collection.models import Value, ValueState
from scrutineer.engine import (
    FigureError,
    Frequency,
    IndicatorRule,
    Observation,
    Period,
    Result,
    compare,
    evaluate,
    figure,
)
from scrutineer.engine.targets import resolve_target

__all__ = ["as_if_approved", "awaiting_approval", "readable_observation", "reported_observation"]


def reported_observation(
    value: Value | None, period: Period, rule: IndicatorRule | None = None
) -> Observation | None:
    """The engine input for a stored figure, as reports, dashboards, the indicator page and
    My work all show it: the figure once approved; before that, no data with the reason
    "Awaiting approval (Draft | Submitted | Returned)", because councillors see only what
    was signed off. None when nothing is stored.

    With the indicator's `rule`, a stored row its kind of measure cannot read (a single
    figure on a rate, written by hand) reads as no data saying so, so no page fails."""
    if value is None:
        return None
    if value.state != ValueState.APPROVED:
        return Observation(period=period, no_data_reason=awaiting_approval(value))
    return readable_observation(value, rule)


def readable_observation(value: Value, rule: IndicatorRule | None) -> Observation:
    """`value`'s figures as the engine input, whatever its state; with the indicator's `rule`,
    a row its kind of measure cannot read reads as no data saying why."""
    observation = value.observation()
    if rule is not None:
        try:
            figure(observation, rule.kind, rule.rate_scale)
        except FigureError as error:
            return Observation(
                period=value.period,
                no_data_reason=f"The stored figure cannot be shown ({error}). Correct it on its entry page.",
                not_measured=observation.not_measured,
            )
    return observation


def awaiting_approval(value: Value) -> str:
    """The words for a figure not yet approved, in its state: "Awaiting approval (Submitted)"."""
    return f"Awaiting approval ({value.get_state_display()})"


def as_if_approved(indicator: Indicator, value: Value) -> Result:
    """`value` judged as reports will show it once approved: a data owner sees the rate worked
    out from what they typed, an approver the status they are about to sign off. A status
    rule that asks about earlier figures or a forecast reads the approved ones, as the table does."""
    rule = indicator.rule()
    targets = {t.period: t.value for t in indicator.targets.all()}
    period = value.period
    tolerance = default_tolerance()

    def judged(period: Period, found: Value | None, as_approved: bool) -> Result:
        target = resolve_target(targets, period, rule.aggregation)
        observation = (
            readable_observation(found, rule)
            if as_approved and found is not None
            else reported_observation(found, period, rule)
        )
        return evaluate(rule, observation, period, target, tolerance)

    result = judged(period, value, True)
    needs = rule.judged_by.needs
    if not needs:
        return result
    wanted = {period.previous(), period.same_period_last_year()}
    if "forecast" in needs:
        year = period.within(Frequency.ANNUAL).parts(period.frequency)
        wanted |= set(year[: year.index(period)])
    earlier = {v.period: v for v in Value.objects.filter(indicator=indicator, period__in=wanted)}
    results = {p: judged(p, earlier.get(p), False) for p in wanted}
    results[period] = result
    return compare(rule, results, period, targets=targets, default_tolerance=tolerance).current
