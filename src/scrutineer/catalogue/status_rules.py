"""Where status rules apply: the site, a theme or an indicator (reads only).

A rule is applied to a *scope*. An indicator is judged by its own rule, else its theme's,
else the site's, else Scrutineer's default (`models.rules_in_force`); so applying a rule
to a scope decides the indicators of that scope that set no closer rule. The status rule
pages and `catalogue.actions.apply_status_rule` name scopes as `RuleScope`, written in
addresses as "site", "theme-3" or "indicator-CSU10".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from scrutineer.catalogue.models import (
    SITE_DEFAULTS_PK,
    Indicator,
    SiteDefaults,
    StatusRuleDefinition,
    Theme,
    site_rule,
)
from scrutineer.engine import DEFAULT_RULE, StatusRule

__all__ = ["RuleScope", "indicators_judged_by", "scope_choices"]

SITE = "site"
THEME = "theme"
INDICATOR = "indicator"


@dataclass(frozen=True)
class RuleScope:
    """The site, a theme or an indicator, as a place a status rule is applied."""

    kind: str
    theme: Theme | None = None
    indicator: Indicator | None = None

    @classmethod
    def site(cls) -> RuleScope:
        return cls(SITE)

    @classmethod
    def parse(cls, key: str) -> RuleScope | None:
        """ "site", "theme-3" or "indicator-CSU10"; None for anything else, or a theme or
        indicator that does not exist."""
        if key == SITE:
            return cls.site()
        kind, _, rest = key.partition("-")
        if kind == THEME and rest.isascii() and rest.isdigit() and len(rest) <= 18:
            theme = Theme.objects.select_related("priority", "status_rule").filter(pk=int(rest)).first()
            return None if theme is None else cls(THEME, theme=theme)
        if kind == INDICATOR and rest:
            found = (
                Indicator.objects.select_related("theme__priority", "theme__status_rule", "status_rule")
                .filter(code=rest)
                .first()
            )
            return None if found is None else cls(INDICATOR, indicator=found)
        return None

    @property
    def key(self) -> str:
        if self.theme is not None:
            return f"{THEME}-{self.theme.pk}"
        if self.indicator is not None:
            return f"{INDICATOR}-{self.indicator.code}"
        return SITE

    @property
    def label(self) -> str:
        """ "the whole site", "the theme Homes and growth - Planning performance", "CSU10"."""
        if self.theme is not None:
            return f"the theme {self.theme}"
        if self.indicator is not None:
            return f"{self.indicator.code} – {self.indicator.name}"
        return "the whole site"

    def row(self) -> SiteDefaults | Theme | Indicator:
        """The row that holds the scope's rule (the site's, unsaved until first changed)."""
        if self.theme is not None:
            return self.theme
        if self.indicator is not None:
            return self.indicator
        return SiteDefaults.objects.filter(pk=SITE_DEFAULTS_PK).first() or SiteDefaults(pk=SITE_DEFAULTS_PK)

    @property
    def version(self) -> int:
        """The version of the scope's row that a form shows (1 before the site's is saved)."""
        return self.row().version

    def current(self) -> StatusRuleDefinition | None:
        """The rule set for the scope itself (None: it sets none)."""
        return self.row().status_rule

    def indicators(self) -> QuerySet[Indicator]:
        """The indicators whose rule the scope decides: those that set no closer rule."""
        if self.theme is not None:
            return Indicator.objects.filter(theme=self.theme, status_rule__isnull=True)
        if self.indicator is not None:
            return Indicator.objects.filter(pk=self.indicator.pk)
        return Indicator.objects.filter(status_rule__isnull=True, theme__status_rule__isnull=True)

    def inherited(self) -> StatusRule:
        """What judges the scope's indicators when it sets no rule of its own: the theme's
        rule, else the site's, else Scrutineer's default."""
        if self.indicator is not None and self.indicator.theme.status_rule is not None:
            return self.indicator.theme.status_rule.rule
        if self.kind != SITE:
            found = site_rule()
            if found is not None:
                return found.rule
        return DEFAULT_RULE


def indicators_judged_by(definition: StatusRuleDefinition) -> QuerySet[Indicator]:
    """The indicators `definition` judges now: its own, its themes' without their own, and,
    if it is the site's rule, every indicator without a closer rule."""
    judged = Q(status_rule=definition) | Q(status_rule__isnull=True, theme__status_rule=definition)
    found = site_rule()
    if found is not None and found.pk == definition.pk:
        judged |= Q(status_rule__isnull=True, theme__status_rule__isnull=True)
    return Indicator.objects.filter(judged)


def scope_choices() -> list[tuple[str, list[tuple[str, str]] | str]]:
    """The scopes to offer in a select, grouped: the site, each theme, each indicator."""
    themes = [(f"{THEME}-{t.pk}", str(t)) for t in Theme.objects.select_related("priority")]
    indicators = [
        (f"{INDICATOR}-{code}", f"{code} – {name}")
        for code, name in Indicator.objects.order_by("code").values_list("code", "name")
    ]
    return [(SITE, "The whole site"), ("Themes", themes), ("Indicators", indicators)]
