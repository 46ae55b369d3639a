"""Load the seed council into the database.

Idempotent and non-destructive: every object is found by its natural key and created
only when missing, so running the demo twice changes nothing, and a figure someone has
since corrected is never overwritten by the seed.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import transaction
from django.utils import timezone

from scrutineer.catalogue.models import (
    SITE_DEFAULTS_PK,
    Committee,
    CorporateObjective,
    Directorate,
    Group,
    Indicator,
    Person,
    Portfolio,
    Priority,
    ServiceTeam,
    SiteDefaults,
    Target,
    Theme,
)
from scrutineer.collection.models import Achievement, Value, ValueState
from scrutineer.demo import dacorum
from scrutineer.engine import Frequency, Period
from scrutineer.reports.models import Report

SEED_LICENCE = "Open Government Licence v3.0"


@transaction.atomic
def load_seed_council() -> Counter[str]:
    """Create whatever of the seed council is missing; return how many of each kind were created."""
    created: Counter[str] = Counter()

    def note(kind: str, was_created: bool) -> None:
        if was_created:
            created[kind] += 1

    site, _ = SiteDefaults.objects.get_or_create(pk=SITE_DEFAULTS_PK)
    if not site.council_name:
        SiteDefaults.objects.filter(pk=SITE_DEFAULTS_PK).update(council_name=dacorum.COUNCIL)
    if not site.licence and site.council_name in ("", dacorum.COUNCIL):
        # The seed's reports are published under the Open Government Licence.
        SiteDefaults.objects.filter(pk=SITE_DEFAULTS_PK).update(licence=SEED_LICENCE)

    people: dict[str, Person] = {}
    for name, job_title, honorific, councillor in dacorum.PEOPLE:
        person, new = Person.objects.get_or_create(
            name=name,
            defaults={"job_title": job_title, "honorific": honorific, "is_councillor": councillor},
        )
        people[name] = person
        note("people", new)

    portfolios = {}
    for portfolio_name, holder in dacorum.PORTFOLIOS:
        portfolio, new = Portfolio.objects.get_or_create(
            name=portfolio_name, defaults={"holder": people[holder]}
        )
        portfolios[portfolio_name] = portfolio
        note("portfolios", new)

    directorate, new = Directorate.objects.get_or_create(
        slug=dacorum.DIRECTORATE["slug"],
        defaults={"name": dacorum.DIRECTORATE["name"], "head": people["Linda Roberts"]},
    )
    note("directorates", new)
    group, new = Group.objects.get_or_create(
        slug=dacorum.GROUP["slug"],
        defaults={"name": dacorum.GROUP["name"], "directorate": directorate, "head": people["Matt Rawdon"]},
    )
    note("groups", new)

    services: dict[str, ServiceTeam] = {}
    for position, (slug, name, leader) in enumerate(dacorum.SERVICES, start=1):
        service, new = ServiceTeam.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "group": group, "team_leader": people[leader], "position": position},
        )
        services[slug] = service
        note("services", new)
        if people[leader].service_id is None:
            Person.objects.filter(pk=people[leader].pk).update(service=service)

    objectives = {}
    for position, name in enumerate(dacorum.OBJECTIVES, start=1):
        objectives[name], new = CorporateObjective.objects.get_or_create(
            name=name, defaults={"position": position}
        )
        note("objectives", new)

    themes: dict[tuple[str, str], Theme] = {}
    for p_position, (priority_name, objective, theme_names) in enumerate(dacorum.PRIORITIES, start=1):
        priority, new = Priority.objects.get_or_create(
            name=priority_name, defaults={"objective": objectives[objective], "position": p_position}
        )
        note("priorities", new)
        for t_position, theme_name in enumerate(theme_names, start=1):
            theme, new = Theme.objects.get_or_create(
                priority=priority, name=theme_name, defaults={"position": t_position}
            )
            themes[(priority_name, theme_name)] = theme
            note("themes", new)

    spec = dict(dacorum.COMMITTEE)
    slug = spec.pop("slug")
    spec["portfolio"] = portfolios[spec["portfolio"]]
    committee, new = Committee.objects.get_or_create(slug=slug, defaults=spec)
    note("committees", new)
    if new:
        committee.services.set(services.values())
        committee.corporate_objectives.set(objectives.values())

    approver = people["Matt Rawdon"]
    approved_at = timezone.now()
    for spec in dacorum.INDICATORS:
        service = services[spec["service"]]
        indicator, new = Indicator.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "unit": spec["unit"],
                "measure_kind": spec["measure_kind"],
                "polarity": spec["polarity"],
                "frequency": Frequency.QUARTERLY.value,
                "aggregation": spec["aggregation"],
                "decimal_places": spec["decimal_places"],
                "service": service,
                "theme": themes[spec["theme"]],
                "owner": service.team_leader,
                "approver": approver,
            },
        )
        note("indicators", new)
        if new:
            committee.indicators.add(indicator)
        for key, target in spec["targets"].items():
            _, new = Target.objects.get_or_create(
                indicator=indicator, period=Period.parse(key), defaults={"value": target}
            )
            note("targets", new)
        for key, figures in spec["values"].items():
            _, new = Value.objects.get_or_create(
                indicator=indicator,
                period=Period.parse(key),
                defaults={**figures, "state": ValueState.APPROVED, "approved_at": approved_at},
            )
            note("values", new)

    for spec in dacorum.REPORTS:
        fields = dict(spec)
        key = fields.pop("period")
        fields["meeting_date"] = date.fromisoformat(fields["meeting_date"])
        _, new = Report.objects.get_or_create(committee=committee, period=Period.parse(key), defaults=fields)
        note("reports", new)

    for key, by_service in dacorum.ACHIEVEMENTS.items():
        period = Period.parse(key)
        for service_slug, items in by_service.items():
            for position, body in enumerate(items, start=1):
                _, new = Achievement.objects.get_or_create(
                    service=services[service_slug],
                    period=period,
                    position=position,
                    defaults={"body": body, "state": ValueState.APPROVED},
                )
                note("achievements", new)
    return created
