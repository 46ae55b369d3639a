"""A synthetic council for scale: plausible services, committees and indicators of every
measure kind, monthly and quarterly, with targets and the occasional gap.

Everything it makes is namespaced by the seed (slugs `syn<seed>-…`, codes `S<seed>-…`)
so it sits beside the seed council and a second run with the same seed is refused
rather than duplicated. Rows are written with bulk inserts in large batches.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from scrutineer.catalogue.models import (
    Committee,
    CorporateObjective,
    Directorate,
    Group,
    Indicator,
    Person,
    Priority,
    ServiceTeam,
    Target,
    Theme,
)
from scrutineer.collection.models import Value, ValueState
from scrutineer.engine import Frequency, Period

DIRECTORATES = [
    ("Housing and Community", ["Housing Operations", "Community Services", "Strategic Housing"]),
    ("Place", ["Environmental Services", "Planning and Regeneration", "Property"]),
    ("Corporate Services", ["Finance", "Customer and Digital", "Legal and Democratic"]),
    ("Neighbourhoods", ["Clean and Green", "Regulatory Services", "Leisure and Culture"]),
    ("People and Performance", ["People", "Performance and Projects", "Communications"]),
    ("Commercial", ["Commercial Assets", "Contracts", "Economic Development"]),
]
SERVICE_NAMES = [
    "Tenancy Management",
    "Housing Repairs",
    "Homelessness",
    "Allocations",
    "Waste Collection",
    "Recycling",
    "Street Cleansing",
    "Parks and Open Spaces",
    "Development Management",
    "Building Control",
    "Planning Policy",
    "Revenues",
    "Benefits",
    "Council Tax",
    "Payroll",
    "Customer Contact Centre",
    "Digital Services",
    "Elections",
    "Licensing",
    "Environmental Health",
    "Food Safety",
    "Pest Control",
    "Leisure Centres",
    "Museums and Theatres",
    "Community Safety",
    "Grants and Partnerships",
    "Car Parking",
    "Estates",
    "Procurement",
    "Internal Audit",
    "Human Resources",
    "Learning and Development",
    "Health and Safety",
    "Complaints",
    "Insurance",
    "Corporate Communications",
    "Town Centres",
    "Business Support",
    "Markets",
    "Cemeteries",
]
PRIORITIES = [
    ("A clean, safe and enjoyable environment", ["Cleaner streets", "Safer neighbourhoods"]),
    ("Building strong and vibrant communities", ["Community capacity", "Health and wellbeing"]),
    ("Providing good quality affordable homes", ["Housing supply", "Tenant services"]),
    ("Delivering an efficient and modern council", ["Performance excellence", "Value for money"]),
]

# (name template, kind, polarity, aggregation, unit, decimal places, base figure, spread)
TEMPLATES = [
    ("Percentage of {x} completed on time", "rate", "higher-is-better", "ratio", "%", 2, 90, 8),
    ("Percentage of {x} abandoned", "rate", "lower-is-better", "ratio", "%", 2, 8, 5),
    ("Percentage of customers satisfied with {x}", "rate", "higher-is-better", "ratio", "%", 2, 85, 10),
    ("Average wait time for {x}", "duration", "lower-is-better", "mean", "Second(s)", 2, 240, 90),
    ("Average days to process {x}", "number", "lower-is-better", "mean", "Days", 1, 12, 6),
    ("Number of {x} received", "count", "info-only", "sum", "Requests", 0, 900, 300),
    ("Number of {x} attendances", "count", "higher-is-better", "sum", "Attendances", 0, 3000, 900),
    ("Households in {x} at month end", "number", "lower-is-better", "last", "Households", 0, 120, 30),
    ("Income from {x}", "currency", "higher-is-better", "sum", "£", 2, 45000, 9000),
    ("Cost of {x} per transaction", "currency", "lower-is-better", "mean", "£", 2, 4, 1),
    ("Occupancy of {x}", "rate", "closest-to-target", "ratio", "%", 1, 95, 4),
]
SUBJECTS = [
    "repairs",
    "calls",
    "applications",
    "complaints",
    "enquiries",
    "visits",
    "inspections",
    "claims",
    "requests",
    "bookings",
    "licences",
    "cases",
    "payments",
    "referrals",
]


@dataclass(frozen=True)
class GeneratedCommittee:
    name: str
    slug: str
    indicators: int


class AlreadyGenerated(Exception):
    pass


@dataclass(frozen=True)
class CouncilData:
    """What the database holds that `generate` did not make: a council's own data."""

    indicators: int
    committees: int

    def __bool__(self) -> bool:
        return bool(self.indicators or self.committees)

    def __str__(self) -> str:
        def counted(n: int, noun: str) -> str:
            return f"{n} {noun}{'' if n == 1 else 's'}"

        return f"{counted(self.indicators, 'indicator')} and {counted(self.committees, 'committee')}"


def council_data() -> CouncilData:
    """The indicators and committees in the database that no synthetic council made
    (theirs are namespaced `S<seed>-…` and `syn<seed>-…`): the demo's or a council's own."""
    return CouncilData(
        indicators=Indicator.objects.exclude(code__regex=r"^S[0-9]+-").count(),
        committees=Committee.objects.exclude(slug__regex=r"^syn[0-9]+-").count(),
    )


def _periods(first_fy: int, last_fy: int, frequency: Frequency) -> list[Period]:
    first = (
        Period.financial_year(first_fy).months()[0]
        if frequency == Frequency.MONTHLY
        else Period.quarter(first_fy, 1)
    )
    last = (
        Period.financial_year(last_fy).months()[-1]
        if frequency == Frequency.MONTHLY
        else Period.quarter(last_fy, 4)
    )
    return list(Period.range(first, last))


def _dec(x: float, places: int) -> Decimal:
    return Decimal(repr(round(x, places)))


@transaction.atomic
def generate_council(
    indicators: int,
    years: int,
    until: Period,
    seed: int,
    *,
    quarterly_share: float = 0.2,
    batch_size: int = 5000,
) -> list[GeneratedCommittee]:
    """Create the synthetic council in the configured database; return its committees."""
    if until.frequency != Frequency.ANNUAL:
        raise ValueError(f"--until takes a financial year such as 2025-26, not {until.key}.")
    prefix = f"syn{seed}"
    code_prefix = f"S{seed}-"
    if (
        Committee.objects.filter(slug__startswith=f"{prefix}-").exists()
        or Indicator.objects.filter(code__startswith=code_prefix).exists()
    ):
        raise AlreadyGenerated(
            f"A synthetic council with seed {seed} is already in this database. "
            f"Use another --seed, or --replace to rebuild it."
        )
    rng = random.Random(seed)
    first_fy = until.year - years + 1

    n_directorates = max(1, min(len(DIRECTORATES), indicators // 300 or 1))
    n_services = max(1, min(len(SERVICE_NAMES), indicators // 25 or 1))

    objectives = []
    priorities_themes: list[Theme] = []
    for p_pos, (priority_name, theme_names) in enumerate(PRIORITIES, start=1):
        objective, _ = CorporateObjective.objects.get_or_create(
            name=priority_name, defaults={"position": p_pos}
        )
        objectives.append(objective)
        priority = Priority.objects.create(
            name=f"{priority_name} ({prefix})", objective=objective, position=p_pos
        )
        for t_pos, theme_name in enumerate(theme_names, start=1):
            priorities_themes.append(Theme.objects.create(priority=priority, name=theme_name, position=t_pos))

    people = Person.objects.bulk_create(
        [Person(name=f"Officer {prefix}-{i:04d}", job_title="Team Leader") for i in range(n_services + 2)],
        batch_size=batch_size,
    )
    services: list[ServiceTeam] = []
    committees: list[tuple[Committee, list[ServiceTeam]]] = []
    for d in range(n_directorates):
        d_name, group_names = DIRECTORATES[d]
        directorate = Directorate.objects.create(name=d_name, slug=f"{prefix}-{d + 1}-directorate")
        committee = Committee.objects.create(
            name=f"{d_name} Overview & Scrutiny ({prefix})",
            slug=f"{prefix}-{d_name.lower().replace(' and ', '-').replace(' ', '-')}",
            consultees="Service Team Leaders",
        )
        committee.corporate_objectives.set(objectives)
        groups = [
            Group.objects.create(name=g, slug=f"{prefix}-{d + 1}-{i + 1}-group", directorate=directorate)
            for i, g in enumerate(group_names)
        ]
        committees.append((committee, []))
        for s in range(d, n_services, n_directorates):
            service = ServiceTeam.objects.create(
                name=SERVICE_NAMES[s],
                slug=f"{prefix}-service-{s + 1}",
                group=groups[s % len(groups)],
                team_leader=people[s],
                position=s,
            )
            services.append(service)
            committees[-1][1].append(service)
    for committee, its_services in committees:
        committee.services.set(its_services)

    service_committee = {s.pk: c for c, ss in committees for s in ss}
    new_indicators: list[Indicator] = []
    for i in range(indicators):
        name, kind, polarity, aggregation, unit, places, _, _ = TEMPLATES[i % len(TEMPLATES)]
        service = services[i % len(services)]
        new_indicators.append(
            Indicator(
                code=f"{code_prefix}{i + 1:05d}",
                name=name.format(x=rng.choice(SUBJECTS)),
                definition="Synthetic indicator for scale testing.",
                unit=unit,
                measure_kind=kind,
                polarity=polarity,
                frequency=(
                    Frequency.QUARTERLY if rng.random() < quarterly_share else Frequency.MONTHLY
                ).value,
                aggregation=aggregation,
                decimal_places=places,
                service=service,
                theme=priorities_themes[i % len(priorities_themes)],
                owner=service.team_leader,
                approver=people[-1],
            )
        )
    created = Indicator.objects.bulk_create(new_indicators, batch_size=batch_size)
    through = Committee.indicators.through
    through.objects.bulk_create(
        [through(committee_id=service_committee[ind.service_id].pk, indicator_id=ind.pk) for ind in created],
        batch_size=batch_size,
    )

    targets: list[Target] = []
    values: list[Value] = []
    for i, indicator in enumerate(created):
        _, kind, polarity, _, _, places, base, spread = TEMPLATES[i % len(TEMPLATES)]
        frequency = Frequency(indicator.frequency)
        level = base * rng.uniform(0.8, 1.2)
        if polarity != "info-only":
            for fy in range(first_fy, until.year + 1):
                targets.append(
                    Target(indicator=indicator, period=Period.financial_year(fy), value=_dec(level, places))
                )
        for period in _periods(first_fy, until.year, frequency):
            roll = rng.random()
            state = ValueState.APPROVED
            approved_at = datetime.combine(period.end + timedelta(days=12), time(9), tzinfo=UTC)
            if period.end.year == until.year + 1 and period.end.month == 3 and roll < 0.3:
                state, approved_at = ValueState.SUBMITTED, None
            if roll < 0.01:
                values.append(
                    Value(
                        indicator=indicator,
                        period=period,
                        no_data_reason="System outage: figures not available",
                        state=state,
                        approved_at=approved_at,
                    )
                )
                continue
            figure = max(0.0, rng.gauss(level, spread))
            if kind == "rate":
                denominator = rng.randint(200, 5000)
                share = min(1.0, figure / 100)
                values.append(
                    Value(
                        indicator=indicator,
                        period=period,
                        numerator=Decimal(round(denominator * share)),
                        denominator=Decimal(denominator),
                        state=state,
                        approved_at=approved_at,
                    )
                )
            else:
                values.append(
                    Value(
                        indicator=indicator,
                        period=period,
                        value=_dec(figure, places),
                        not_measured=roll > 0.997,
                        state=state,
                        approved_at=approved_at,
                    )
                )
        if len(values) >= batch_size * 4:
            Value.objects.bulk_create(values, batch_size=batch_size)
            values.clear()
    Target.objects.bulk_create(targets, batch_size=batch_size)
    Value.objects.bulk_create(values, batch_size=batch_size)

    return [
        GeneratedCommittee(
            c.name, c.slug, sum(1 for ind in created if service_committee[ind.service_id] == c)
        )
        for c, _ in committees
    ]


@transaction.atomic
def remove_council(seed: int) -> int:
    """Delete the synthetic council made with `seed`; return the number of indicators removed."""
    prefix, code_prefix = f"syn{seed}", f"S{seed}-"
    indicators = Indicator.objects.filter(code__startswith=code_prefix)
    count = indicators.count()
    Value.objects.filter(indicator__in=indicators).delete()
    Committee.objects.filter(slug__startswith=f"{prefix}-").delete()
    indicators.delete()
    ServiceTeam.objects.filter(slug__startswith=f"{prefix}-").delete()
    Group.objects.filter(slug__startswith=f"{prefix}-").delete()
    Directorate.objects.filter(slug__startswith=f"{prefix}-").delete()
    Theme.objects.filter(priority__name__endswith=f"({prefix})").delete()
    Priority.objects.filter(name__endswith=f"({prefix})").delete()
    Person.objects.filter(name__startswith=f"Officer {prefix}-").delete()
    return count
