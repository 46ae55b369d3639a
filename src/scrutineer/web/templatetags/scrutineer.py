"""Template helpers shared by every page: statuses and trends always as symbol + word."""

from django import template
from django.utils.html import format_html

from scrutineer.engine import Status, Trend
from scrutineer.reports.renderers.html import STATUS_TAG_CLASSES

register = template.Library()


@register.simple_tag
def status_tag(status: Status) -> str:
    """`<strong class="govuk-tag govuk-tag--green">✓ Green</strong>`: never colour alone."""
    return format_html(
        '<strong class="govuk-tag {}"><span aria-hidden="true">{}</span> {}</strong>',
        STATUS_TAG_CLASSES[status],
        status.symbol,
        status.label,
    )


@register.simple_tag
def trend_text(trend: Trend) -> str:
    return format_html('<span aria-hidden="true">{}</span> {}', trend.symbol, trend.label)
