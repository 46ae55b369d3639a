"""factory_boy factories for the domain, so tests state only what matters to them."""

from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from scrutineer.catalogue import models as catalogue
from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.collection import models as collection
from scrutineer.engine import Period, StatusRule


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-in user with no role until a Person or a group gives them one."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = "Officer"


class PerformanceOfficerFactory(UserFactory):
    """A member of the "Performance officers" group (not staff: the group alone gives the role)."""

    @factory.post_generation
    def officer_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])


class PersonFactory(factory.django.DjangoModelFactory):
    """An officer named in the catalogue, signed in as their own `user`."""

    class Meta:
        model = catalogue.Person

    name = factory.Sequence(lambda n: f"Person {n}")
    job_title = "Team Leader"
    user = factory.SubFactory(UserFactory)


class CouncillorFactory(PersonFactory):
    honorific = "Cllr"
    job_title = "Councillor"
    is_councillor = True


class DirectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalogue.Directorate

    name = factory.Sequence(lambda n: f"Directorate {n}")
    slug = factory.Sequence(lambda n: f"directorate-{n}")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalogue.Group

    name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    directorate = factory.SubFactory(DirectorateFactory)


class ServiceTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalogue.ServiceTeam

    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    group = factory.SubFactory(GroupFactory)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalogue.Priority

    name = factory.Sequence(lambda n: f"Priority {n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalogue.Theme

    priority = factory.SubFactory(PriorityFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalogue.Committee

    name = factory.Sequence(lambda n: f"Committee {n}")
    slug = factory.Sequence(lambda n: f"committee-{n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalogue.Indicator

    code = factory.Sequence(lambda n: f"PI{n:03d}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "Second(s)"
    measure_kind = "duration"
    polarity = "lower-is-better"
    frequency = "quarterly"
    aggregation = "mean"
    service = factory.SubFactory(ServiceTeamFactory)
    theme = factory.SubFactory(ThemeFactory)


class RateIndicatorFactory(IndicatorFactory):
    unit = "%"
    measure_kind = "rate"
    polarity = "higher-is-better"
    aggregation = "ratio"


class OwnedIndicatorFactory(IndicatorFactory):
    """An indicator with a data owner and an approver who can sign in."""

    owner = factory.SubFactory(PersonFactory, job_title="Team Leader")
    approver = factory.SubFactory(PersonFactory, job_title="Group Manager")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalogue.Target

    indicator = factory.SubFactory(IndicatorFactory)
    period = Period.parse("2020-21-Q1")
    value = Decimal("100")


class ValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = collection.Value

    indicator = factory.SubFactory(IndicatorFactory)
    period = Period.parse("2020-21-Q1")
    value = Decimal("50")
    state = collection.ValueState.APPROVED
    approved_at = factory.LazyFunction(timezone.now)


class DraftValueFactory(ValueFactory):
    state = collection.ValueState.DRAFT
    approved_at = None


class AchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = collection.Achievement

    service = factory.SubFactory(ServiceTeamFactory)
    period = Period.parse("2020-21-Q1")
    position = factory.Sequence(lambda n: n + 1)
    body = "Opened a new play area."
    state = collection.ValueState.APPROVED


class StatusRuleFactory(factory.django.DjangoModelFactory):
    """A stored status rule, written as the action stores it (`StatusRule.to_json`).
    Give `rule` as the interchange mapping: `StatusRuleFactory(rule={"name": …, …})`."""

    class Meta:
        model = catalogue.StatusRuleDefinition
        exclude = ("rule",)

    rule = factory.Sequence(lambda n: {"name": f"Rule {n}", "green": {"within": "5%"}})
    name = factory.LazyAttribute(lambda o: o.rule["name"])
    definition = factory.LazyAttribute(lambda o: StatusRule.from_mapping(o.rule).to_json())
