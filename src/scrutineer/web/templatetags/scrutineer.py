"""Template helpers shared by every page: statuses and trends always as symbol + word, in
the words of the status rule that judged them."""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from scrutineer.engine import KeyLine, Result, Status, StatusRule, Trend
from scrutineer.performance import Cell, symbol_for, words_for
from scrutineer.reports.renderers.html import STATUS_TAG_CLASSES

register = template.Library()

Rules = StatusRule | Iterable[StatusRule] | None


def _rules(rules: Rules) -> tuple[StatusRule, ...]:
    if rules is None or rules == "":
        return ()
    if isinstance(rules, StatusRule):
        return (rules,)
    return tuple(rules)


def _tag(status: Status, symbol: str, label: str) -> SafeString:
    return format_html(
        '<strong class="govuk-tag {}"><span aria-hidden="true">{}</span> {}</strong>',
        STATUS_TAG_CLASSES[status],
        symbol,
        label,
    )


@register.simple_tag
def status_tag(subject: Cell | Result | Status, rules: Rules = None) -> SafeString:
    """`<strong class="govuk-tag govuk-tag--green">✓ Green</strong>`: never colour alone.

    `subject` is a table `Cell` (worded by the rule that judged it), a `Result` (its
    `status_label`, with the symbol of `rules`) or a `Status` (worded by `rules`, a status
    rule or the rules of a dashboard: "On target / Achieved" where they differ). Without
    a rule, the default words.
    """
    if isinstance(subject, Cell):
        result = subject.result
        return _tag(result.status, subject.status_symbol, result.status_label)
    chosen = _rules(rules)
    if isinstance(subject, Result):
        return _tag(subject.status, symbol_for(subject.status, chosen), subject.status_label)
    status = Status(subject)
    return _tag(status, symbol_for(status, chosen), words_for(status, chosen))


@register.simple_tag
def trend_text(trend: Trend, rule: StatusRule | None = None) -> SafeString:
    """The trend's symbol and its word in `rule`'s words ("Similar"), else the default."""
    label = trend.label if rule is None else rule.trend_label(trend)
    return format_html('<span aria-hidden="true">{}</span> {}', trend.symbol, label)


@register.simple_tag
def key_tag(line: KeyLine) -> SafeString:
    """A status's line of a key, led by its tag in the rule's words. The key explains the
    symbols, so here they are read out too."""
    return format_html(
        '<strong class="govuk-tag {}"><span class="scrutineer-key__symbol">{}</span> {}</strong>',
        STATUS_TAG_CLASSES[line.status],
        line.symbol,
        line.label,
    )
