"""Changing the catalogue: indicators, targets, tolerances, themes, committees and status rules.

Performance officers make these changes in the web app; the pages call these actions
and never `save()` a catalogue row themselves (the Zulip model, see docs/development.md). Each
action:

- is atomic, and refuses anyone but a performance officer (`PermissionDenied`);
- validates the whole row (fields and the model's constraints) and raises `Rejected`
  with messages per form field, keeping what was typed;
- refuses a stale edit (`StaleEdit`): the form carries the `version` it showed;
- asks for a reason when an indicator's definition or a target changes, and keeps it
  with who and when in the change history (django-simple-history), which the
  indicator page shows and exports as CSV;
- raises `Unchanged` when the form was saved without a change, so no empty history
  row is written.

Status rules are checked by the engine (`StatusRule.from_json`) before they are stored,
and changing one, or which rule judges the site, a theme or an indicator, needs a reason:
statuses on every page change with it (published reports keep theirs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction

from scrutineer.catalogue.access import check_may_manage
from scrutineer.catalogue.history import one_history_row
from scrutineer.catalogue.models import (
    SITE_DEFAULTS_PK,
    Committee,
    CommitteeIndicatorPeriods,
    Indicator,
    Priority,
    SiteDefaults,
    StatusRuleDefinition,
    Target,
    Theme,
    reported_range_text,
)
from scrutineer.catalogue.rollforward import plan_roll_forward
from scrutineer.catalogue.status_rules import RuleScope
from scrutineer.changes import NON_FIELD, ChangeError, Rejected, StaleEdit, claim, record_change
from scrutineer.engine import (
    FigureError,
    ForecastSource,
    Frequency,
    MeasureKind,
    Period,
    PeriodKeyError,
    Polarity,
    StatusRule,
    StatusRuleError,
)
from scrutineer.engine.figures import plain, read_figure

__all__ = [
    "Unchanged",
    "apply_status_rule",
    "remove_status_rule",
    "remove_target",
    "remove_theme_or_priority",
    "roll_targets_forward",
    "save_committee",
    "save_indicator",
    "save_priority",
    "save_reported_periods",
    "save_status_rule",
    "save_target",
    "save_theme",
]

M = TypeVar("M", bound=models.Model)

# Fields whose change would make the figures already entered mean something else.
FIXED_ONCE_FIGURES_EXIST = {
    "measure_kind": "its kind of measure",
    "frequency": "how often it is collected",
    "rate_scale": "its rate scale",
}


YEAR_TO_DATE = "cumulative"


def year_to_date_switch(code: str, before: str, after: str, entered: int) -> str | None:
    """Why an indicator with `entered` figures cannot change how its figures add up from
    `before` to `after`, or None. Switching to or from year to date would make every stored
    figure mean something else (its own period's, or the year so far), so it is refused;
    sum, mean, last and ratio only change how the figures are added up, and are allowed."""
    if not entered or before == after or YEAR_TO_DATE not in (before, after):
        return None
    figures = f"{entered} figure{'s' if entered != 1 else ''}"
    if before == YEAR_TO_DATE:
        meaning = "each the financial year so far; they would be read as each period's own"
    else:
        meaning = "each for its own period; as year to date they would be read as the year so far"
    return f"{code} already has {figures} entered, {meaning}. Retire it and create a new indicator instead."


RATE_SCALE_MESSAGE = "The rate scale must be more than 0: 100 for a percentage, 1000 for 'per 1,000'."

# An indicator's figures, with the words its messages name them by.
_FIGURES_OF_AN_INDICATOR = {"rate_scale": "The rate scale", "tolerance_amount": "The amber band"}


class Unchanged(ChangeError):
    """The form was saved exactly as stored: nothing was written."""


def _clean_text(text: Any) -> str:
    return str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _errors_of(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {NON_FIELD if k == NON_FIELD_ERRORS else k: v for k, v in exc.message_dict.items()}
    return {NON_FIELD: list(exc.messages)}


def _validate(instance: models.Model, input: Mapping[str, Any]) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise Rejected.from_errors(_errors_of(exc), input=input) from None


def _need_reason(reason: str, what: str, input: Mapping[str, Any]) -> None:
    if not reason:
        raise Rejected(
            "reason",
            f"Say why you are changing {what}: the reason is kept in its change history.",
            input=input,
        )


def _save(
    model: type[M],
    pk: int | None,
    changes: Mapping[str, Any],
    *,
    user: Any,
    reason: str,
    expected_version: int | None,
    what: str,
    many: Mapping[str, Iterable[Any]] | None = None,
    check: Any = None,
) -> M:
    """Create (`pk` None) or change one row; `many` sets many-to-many fields after it.

    `check(stored, changed_fields)` may raise `Rejected` for rules beyond the model's own.
    """
    input = {**changes, "reason": reason, "version": expected_version}
    if pk is None:
        instance = model(**changes)
        changed = set(changes)
    else:
        instance = claim(model._default_manager.all(), pk, expected_version, what, input)
        changed = {name for name, value in changes.items() if getattr(instance, name) != value}
        for name in changed:
            setattr(instance, name, changes[name])
    many_changed = set()
    for name, chosen in (many or {}).items():
        chosen_ids = {obj.pk for obj in chosen}
        if pk is None or set(getattr(instance, name).values_list("pk", flat=True)) != chosen_ids:
            many_changed.add(name)
    if pk is not None and not changed and not many_changed:
        raise Unchanged(f"Nothing was changed, so nothing was saved: {what} is as it was.", input=input)
    if check is not None:
        check(instance, changed)
    _validate(instance, input)
    if not reason:
        reason = "Created" if pk is None else f"Changed {_names_of(model, changed | many_changed)}"
    try:
        # One history row for the save and its many-to-many fields (a committee's members).
        with transaction.atomic(), one_history_row(instance):
            record_change(instance, user, reason)
            for name in many_changed:
                getattr(instance, name).set(list((many or {})[name]))
    except IntegrityError:
        raise Rejected(
            NON_FIELD, f"Could not save {what}: another record already uses these details.", input=input
        ) from None
    return instance


def _names_of(model: type[models.Model], fields: Iterable[str]) -> str:
    """ "members, table caption": the fields a change touched, as the form labels them."""
    return ", ".join(sorted(str(model._meta.get_field(name).verbose_name) for name in fields))


# Indicators and their tolerances


@transaction.atomic
def save_indicator(
    indicator: Indicator | None,
    changes: Mapping[str, Any],
    *,
    user: Any,
    reason: str = "",
    expected_version: int | None = None,
) -> Indicator:
    """Create an indicator, or change its definition, tolerance, owner or approver.

    Changing an existing indicator needs a reason. Once figures are entered, its kind of
    measure, frequency and rate scale are fixed, and it cannot switch to or from year to
    date (`year_to_date_switch`): the figures were entered under them.
    """
    check_may_manage(user, "create or change indicators")
    reason = _clean_text(reason)
    changes = dict(changes)
    for name, words in _FIGURES_OF_AN_INDICATOR.items():
        if name in changes:
            changes[name] = _figure(changes[name], name, words, {**changes, "reason": reason})
    if indicator is not None:
        changes.pop("code", None)  # addresses, history and reports name it: fixed once created
        _need_reason(reason, f"{indicator.code}'s definition", {**changes, "reason": reason})

    def check(stored: Indicator, changed: set[str]) -> None:
        errors: dict[str, list[str]] = {}
        if not stored.active and stored.retired_on is None:
            errors["retired_on"] = ["Give the date the indicator was retired."]
        if stored.active and stored.retired_on is not None:
            errors["retired_on"] = ["Only a retired indicator has a retirement date: clear it, or retire it."]
        if stored.tolerance_kind and stored.tolerance_amount is None:
            errors["tolerance_amount"] = ["Give the size of the amber band, or choose the site default."]
        if not stored.tolerance_kind and stored.tolerance_amount is not None:
            errors["tolerance_kind"] = [
                "Say whether the amber band is in the indicator's unit or a percentage."
            ]
        if stored.rate_scale is None or stored.rate_scale <= 0:
            errors["rate_scale"] = [RATE_SCALE_MESSAGE]
        if stored.aggregation == "ratio" and stored.measure_kind != MeasureKind.RATE.value:
            errors["aggregation"] = ["Only a rate is worked out as summed numerators ÷ summed denominators."]
        elif stored.measure_kind == MeasureKind.PERCENTAGE.value and stored.aggregation == "sum":
            errors["aggregation"] = [PERCENTAGE_NOT_SUMMED]
        if errors:
            raise Rejected.from_errors(errors, input=changes)
        if "aggregation" in changed and stored.pk is not None:
            before = Indicator.objects.filter(pk=stored.pk).values_list("aggregation", flat=True).get()
            if YEAR_TO_DATE in (before, stored.aggregation):
                refusal = year_to_date_switch(stored.code, before, stored.aggregation, stored.values.count())
                if refusal:
                    raise Rejected("aggregation", refusal, input=changes)
        fixed = changed & set(FIXED_ONCE_FIGURES_EXIST)
        if fixed and stored.pk is not None:
            entered = stored.values.count()
            if entered:
                name = sorted(fixed)[0]
                raise Rejected(
                    name,
                    f"{stored.code} already has {entered} figure{'s' if entered != 1 else ''} entered, so "
                    f"{FIXED_ONCE_FIGURES_EXIST[name]} cannot change. Retire it and create a new "
                    "indicator instead.",
                    input=changes,
                )

    what = "the new indicator" if indicator is None else f"{indicator.code}'s definition"
    return _save(
        Indicator,
        None if indicator is None else indicator.pk,
        changes,
        user=user,
        reason=reason,
        expected_version=expected_version,
        what=what,
        check=check,
    )


def _figure(raw: Any, field: str, words: str, input: Mapping[str, Any]) -> Decimal | None:
    """`raw` as a figure every database keeps exactly (decision 0011), or `Rejected`."""
    try:
        return read_figure(raw)
    except FigureError as error:
        raise Rejected(field, f"{words} {error}.", input=input) from None


PERCENTAGE_NOT_SUMMED = (
    "A percentage entered as a figure cannot be summed: choose the mean of the months, the last "
    "month's figure or year to date."
)


# Targets


def target_errors(indicator: Indicator, period: Period, value: Decimal) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if indicator.polarity == Polarity.INFO_ONLY.value:
        errors.setdefault(NON_FIELD, []).append(
            f"{indicator.code} is reported for information only, so it has no targets. "
            "Change what good looks like (its polarity) first."
        )
    frequency = Frequency(indicator.frequency)
    if period.frequency.is_finer_than(frequency):
        errors.setdefault("period", []).append(
            f"{indicator.code} is collected {frequency.value}, so its targets are set for a "
            f"{'quarter or a financial year' if frequency is Frequency.QUARTERLY else 'financial year'}, "
            f"not for {period.label}."
        )
    kind = MeasureKind(indicator.measure_kind)
    if value < 0 and kind in (
        MeasureKind.COUNT,
        MeasureKind.DURATION,
        MeasureKind.RATE,
        MeasureKind.PERCENTAGE,
    ):
        errors.setdefault("value", []).append(
            f"A target for {indicator.code} cannot be below 0: it is a {kind.value}."
        )
    if kind is MeasureKind.PERCENTAGE and value > 100 and not indicator.may_exceed_100:
        errors.setdefault("value", []).append(
            f"A target for {indicator.code} cannot be over 100: it is a percentage (type 95 for 95%), "
            f"and it is not set to allow figures over 100%."
        )
    return errors


@transaction.atomic
def save_target(
    indicator: Indicator,
    period: Period,
    value: Decimal,
    note: str = "",
    *,
    user: Any,
    reason: str = "",
    expected_version: int | None = None,
) -> Target:
    """Set `indicator`'s target for `period`: a new one, or a change (which needs a reason).

    `expected_version` is None when the form added a target: if one was added for the
    period meanwhile, the save is refused rather than overwriting it.
    """
    check_may_manage(user, "set targets")
    reason, note = _clean_text(reason), _clean_text(note)
    input = {
        "period": period.key,
        "value": value,
        "note": note,
        "reason": reason,
        "version": expected_version,
    }
    figure = _figure(value, "value", "The target", input)
    if figure is None:
        raise Rejected("value", f"Give the target for {indicator.code} {period.label}.", input=input)
    value = figure
    errors = target_errors(indicator, period, value)
    if errors:
        raise Rejected.from_errors(errors, input=input)
    stored = Target.objects.filter(indicator=indicator, period=period).first()
    what = f"target for {indicator.code} {period.label}"
    if expected_version is None and stored is not None:
        raise StaleEdit(
            f"A {what} is already set ({'unreadable' if stored.value is None else plain(stored.value)}): "
            "change it from the list of targets, so the change is recorded with its reason. "
            "Yours was not saved.",
            expected_version=None,
            current_version=stored.version,
            input=input,
        )
    if stored is not None:
        _need_reason(reason, f"the {what}", input)
    return _save(
        Target,
        None if stored is None else stored.pk,
        {"indicator": indicator, "period": period, "value": value, "note": note},
        user=user,
        reason=reason,
        expected_version=expected_version,
        what=what,
    )


@transaction.atomic
def remove_target(target: Target, *, user: Any, reason: str, expected_version: int | None) -> None:
    """Remove a target (with a reason): the period then inherits the year's target, if any."""
    check_may_manage(user, "remove targets")
    reason = _clean_text(reason)
    what = f"target for {target.indicator.code} {target.period.label}"
    input = {"reason": reason, "version": expected_version}
    _need_reason(reason, f"removing the {what}", input)
    stored = claim(Target.objects.all(), target.pk, expected_version, what, input)
    stored._history_user = user
    stored._change_reason = reason
    stored.delete()


@transaction.atomic
def roll_targets_forward(
    from_year: Period, to_year: Period, *, user: Any, reason: str, chosen: Mapping[str, int | None]
) -> int:
    """Roll `from_year`'s targets forward to `to_year`, as reviewed: `chosen` maps each row
    the performance officer kept (`TargetRoll.key`) to the version of the target it
    replaces as the review showed it (None: a new target). One reason for all, kept with
    each target's history. All are saved or none: a row no longer in the plan, or a target
    changed since the review, refuses the whole roll. Returns how many targets were set."""
    check_may_manage(user, "roll targets forward")
    reason = _clean_text(reason)
    input = {"from_year": from_year.key, "to_year": to_year.key, "reason": reason, "chosen": dict(chosen)}
    if from_year.frequency is not Frequency.ANNUAL or to_year.frequency is not Frequency.ANNUAL:
        raise Rejected(
            "to_year",
            "Targets roll forward from one financial year to another (2020-21 to 2021-22).",
            input=input,
        )
    if to_year <= from_year:
        raise Rejected("to_year", f"Roll targets forward to a year after {from_year.label}.", input=input)
    if not reason:
        raise Rejected(
            "reason", "Say why the targets are rolled forward; the reason is kept with each one.", input=input
        )
    if not chosen:
        raise Rejected(NON_FIELD, "Keep at least one target to roll forward.", input=input)
    plan = {row.key: row for row in plan_roll_forward(from_year, to_year)}
    count = 0
    for key, shown in chosen.items():
        row = plan.get(key)
        if row is None:
            raise StaleEdit(
                "The targets changed since you reviewed them: a target you kept is no longer there to roll "
                "forward. Nothing was saved: review the roll again.",
                expected_version=shown,
                current_version=None,
                input=input,
            )
        if row.version != shown:
            raise StaleEdit(
                f"{row.indicator.code}'s target for {row.period.label} was changed since you reviewed it. "
                "Nothing was saved: review the roll again.",
                expected_version=shown,
                current_version=row.version,
                input=input,
            )
        if row.kind == "unchanged":
            continue
        save_target(
            row.indicator,
            row.period,
            row.value,
            row.note,
            user=user,
            reason=reason,
            expected_version=row.version,
        )
        count += 1
    return count


# Themes, priorities and committees


@transaction.atomic
def save_priority(
    priority: Priority | None, changes: Mapping[str, Any], *, user: Any, expected_version: int | None = None
) -> Priority:
    check_may_manage(user, "manage priorities")
    what = "the new priority" if priority is None else f"the priority {priority.name}"
    pk = None if priority is None else priority.pk
    return _save(Priority, pk, changes, user=user, reason="", expected_version=expected_version, what=what)


@transaction.atomic
def save_theme(
    theme: Theme | None, changes: Mapping[str, Any], *, user: Any, expected_version: int | None = None
) -> Theme:
    check_may_manage(user, "manage themes")
    what = "the new theme" if theme is None else f"the theme {theme.name}"
    pk = None if theme is None else theme.pk
    return _save(Theme, pk, changes, user=user, reason="", expected_version=expected_version, what=what)


@transaction.atomic
def remove_theme_or_priority(obj: Theme | Priority, *, user: Any, expected_version: int | None) -> None:
    """Remove a theme no indicator uses, or a priority with no themes: for mistakes and
    tidying. Anything in use is refused, naming what uses it."""
    check_may_manage(user, "remove themes and priorities")
    noun = "theme" if isinstance(obj, Theme) else "priority"
    what = f"{noun} {obj.name}"
    input = {"version": expected_version}
    stored = claim(type(obj)._default_manager.all(), obj.pk, expected_version, what, input)
    if isinstance(stored, Theme):
        used = list(stored.indicators.order_by("code").values_list("code", flat=True)[:6])
        if used:
            shown = ", ".join(used[:5]) + (" and more" if len(used) > 5 else "")
            raise Rejected(
                NON_FIELD,
                f"The theme {stored.name} is used by {shown}: move them to another theme first.",
                input=input,
            )
    else:
        themes = list(stored.themes.values_list("name", flat=True))
        if themes:
            raise Rejected(
                NON_FIELD,
                f"The priority {stored.name} still has themes ({', '.join(themes)}): move or remove them first.",
                input=input,
            )
    stored._history_user, stored._change_reason = user, "Removed"
    stored.delete()


@transaction.atomic
def save_committee(
    committee: Committee | None,
    changes: Mapping[str, Any],
    many: Mapping[str, Iterable[Any]],
    *,
    user: Any,
    expected_version: int | None = None,
) -> Committee:
    """Create or change a committee: its services, indicators, members and cover-sheet defaults."""
    check_may_manage(user, "manage committees")
    members = list(many.get("members", []))
    not_councillors = [str(p) for p in members if not p.is_councillor]
    if not_councillors:
        raise Rejected(
            "members", f"Only councillors sit on a committee: {', '.join(not_councillors)} is not one."
        )
    what = "the new committee" if committee is None else f"the committee {committee.name}"
    pk = None if committee is None else committee.pk
    return _save(
        Committee, pk, changes, user=user, reason="", expected_version=expected_version, what=what, many=many
    )


_QUARTER_LABEL = re.compile(r"^\s*Q([1-4])\s+(\d{4})/(\d{2})\s*$", re.IGNORECASE)


def read_reported_period(text: str) -> Period | None:
    """A period typed for a committee's range: a key ("2023-24-Q2", "2023-06", "2023-24")
    or a quarter as reports print it ("Q2 2023/24"); None when blank. `PeriodKeyError` if
    it is neither."""
    text = (text or "").strip()
    if not text:
        return None
    found = _QUARTER_LABEL.match(text)
    if found:
        quarter, year, next_yy = found.groups()
        text = f"{year}-{next_yy}-Q{quarter}"
    return Period.parse(text)


@transaction.atomic
def save_reported_periods(committee: Committee, ranges: Mapping[str, tuple[str, str]], *, user: Any) -> int:
    """Set the periods each of `committee`'s indicators is reported to it in: `ranges` by
    indicator code, (from, until) as typed (blank: open at that end; both blank: every
    period). Every range is checked first; one refusal saves none. Returns how many changed.
    Each change is kept in the history with `user`."""
    check_may_manage(user, "manage committees")
    indicators = {i.code: i for i in committee.indicators.all()}
    existing = {r.indicator_id: r for r in CommitteeIndicatorPeriods.objects.filter(committee=committee)}
    errors: dict[str, list[str]] = {}
    wanted: dict[Indicator, tuple[Period | None, Period | None]] = {}
    for code, (raw_from, raw_until) in ranges.items():
        indicator = indicators.get(code)
        if indicator is None:
            errors.setdefault(NON_FIELD, []).append(
                f"{code[:40]} is not one of {committee.name}'s indicators: add it to the committee first."
            )
            continue
        bounds: list[Period | None] = []
        for end, raw in (("from", raw_from), ("until", raw_until)):
            try:
                bounds.append(read_reported_period(raw))
            except PeriodKeyError as error:
                errors.setdefault(f"{end}-{code}", []).append(f"{code} reported {end}: {error}")
                bounds.append(None)
        first, last = bounds
        if first is not None and last is not None and last.end < first.start:
            errors.setdefault(f"until-{code}", []).append(
                f"{code} reported until: {last.label} is before {first.label}, when it is reported from."
            )
        wanted[indicator] = (first, last)
    if errors:
        raise Rejected.from_errors(errors, input={})
    changed = 0
    for indicator, (first, last) in wanted.items():
        row = existing.get(indicator.pk)
        words = reported_range_text(first, last)
        if first is None and last is None:
            if row is not None:
                row._history_user, row._change_reason = user, f"{indicator.code}: reported every period"  # type: ignore[attr-defined]
                row.delete()
                changed += 1
            continue
        if row is None:
            row = CommitteeIndicatorPeriods(committee=committee, indicator=indicator)
        elif (row.reported_from, row.reported_until) == (first, last):
            continue
        else:
            row.version += 1
        row.reported_from, row.reported_until = first, last
        record_change(row, user, f"{indicator.code}: reported {words[0].lower()}{words[1:]}")
        changed += 1
    return changed


# Status rules


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
OWNER_FORECAST = (
    'forecast: Scrutineer does not collect owners\' forecasts yet, so a rule with "forecast": '
    '{"from": "owner"} could never use one; use {"from": "data"} (the year so far, carried on)'
)


def sentence(message: str) -> str:
    """An engine message as a sentence: "Amber can never match: …."."""
    return f"{message[:1].upper()}{message[1:]}".rstrip(".") + "."


@transaction.atomic
def save_status_rule(
    definition: StatusRuleDefinition | None,
    text: str,
    *,
    user: Any,
    reason: str = "",
    expected_version: int | None = None,
) -> StatusRuleDefinition:
    """Add a status rule, or change one, from its interchange JSON (docs/status-rules.md).

    The engine checks the rule first; a refusal names the key or clause at fault
    (`Rejected` on "definition"). It is stored as the engine writes it back, named by its
    "name". Changing a rule needs a reason: every figure it judges may change status.
    """
    check_may_manage(user, "write status rules")
    reason = _clean_text(reason)
    input = {"definition": text, "reason": reason, "version": expected_version}
    try:
        rule = StatusRule.from_json(str(text or ""))
    except StatusRuleError as error:
        raise Rejected("definition", sentence(str(error)), input=input) from None
    if rule.forecast_from is ForecastSource.OWNER:
        raise Rejected("definition", sentence(OWNER_FORECAST), input=input)
    words = (rule.name, *rule.labels.values(), *rule.symbols.values(), *rule.trend_labels.values())
    if any(_CONTROL.search(word) for word in words):
        raise Rejected(
            "definition",
            "The rule's name and words cannot hold control characters (a NUL, a tab or a line "
            "break): write each as one line of plain text.",
            input=input,
        )
    others = StatusRuleDefinition.objects.filter(name__iexact=rule.name)
    if definition is not None:
        others = others.exclude(pk=definition.pk)
        _need_reason(reason, f"the status rule {definition.name}", input)
    if others.exists():
        raise Rejected(
            "name", f'A status rule is already called "{rule.name}": choose another name.', input=input
        )
    what = "the new status rule" if definition is None else f"status rule {definition.name}"
    return _save(
        StatusRuleDefinition,
        None if definition is None else definition.pk,
        {"name": rule.name, "definition": rule.to_json()},
        user=user,
        reason=reason,
        expected_version=expected_version,
        what=what,
    )


@transaction.atomic
def apply_status_rule(
    definition: StatusRuleDefinition | None,
    scope: RuleScope,
    *,
    user: Any,
    reason: str,
    expected_version: int | None,
) -> SiteDefaults | Theme | Indicator:
    """Judge `scope` (the site, a theme or an indicator) by `definition`; None leaves the
    scope to the rule above it (the theme's, the site's, Scrutineer's default).

    Needs a reason, kept in the change history of the site's settings or the theme (the
    catalogue's history page) or the indicator (its audit trail). `expected_version` is the
    version of the scope's row the preview showed: a change since refuses this one.
    Published reports keep the statuses they were published with.
    """
    check_may_manage(user, "apply status rules")
    reason = _clean_text(reason)
    input = {
        "rule": "" if definition is None else definition.pk,
        "reason": reason,
        "version": expected_version,
    }
    _need_reason(reason, f"the status rule of {scope.label}", input)
    row = scope.row()
    if isinstance(row, SiteDefaults):
        row, _ = SiteDefaults.objects.get_or_create(pk=SITE_DEFAULTS_PK)
    return _save(
        type(row),
        row.pk,
        {"status_rule": definition},
        user=user,
        reason=reason,
        expected_version=expected_version,
        what=f"status rule of {scope.label}",
    )


@transaction.atomic
def remove_status_rule(definition: StatusRuleDefinition, *, user: Any, expected_version: int | None) -> None:
    """Remove a status rule nothing uses (a mistake, or one retired); one in use is
    refused, naming where it is applied."""
    check_may_manage(user, "remove status rules")
    what = f"status rule {definition.name}"
    input = {"version": expected_version}
    stored = claim(StatusRuleDefinition.objects.all(), definition.pk, expected_version, what, input)
    used = [
        *(["the whole site"] if SiteDefaults.objects.filter(status_rule=stored).exists() else []),
        *(
            f"the theme {theme}"
            for theme in Theme.objects.select_related("priority").filter(status_rule=stored)
        ),
        *stored.indicators.order_by("code").values_list("code", flat=True),
    ]
    if used:
        shown = ", ".join(used[:5]) + (" and more" if len(used) > 5 else "")
        raise Rejected(
            NON_FIELD,
            f"The status rule {stored.name} judges {shown}: apply another rule there first.",
            input=input,
        )
    stored._history_user, stored._change_reason = user, "Removed"
    stored.delete()
