"""The seed council's collection round in progress: the Quarter 2 2020/21 round, opened on
1 October 2020, figures due on 14 October and approvals on 21 October, with one figure
in draft and one awaiting approval; everything else not started.

So the demo shows the cycle: My work lists what is due and late, /rounds/ and the overdue
tracker show who owes what, and `scrutineer remind` prints the reminder emails it sends
(then, run again at once, none). Idempotent: nothing already there is changed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from scrutineer.catalogue.access import performance_officers
from scrutineer.catalogue.models import Committee, Person, Target
from scrutineer.collection.actions import open_round, save_value, submit_value
from scrutineer.collection.models import CollectionRound, Value
from scrutineer.engine import Period

Q1 = Period.parse("2020-21-Q1")
Q2 = Period.parse("2020-21-Q2")
ADDRESS = "{first}.{last}@dacorum.example"
"""Demo addresses, at a domain reserved for examples (RFC 2606): nothing is ever delivered."""


@transaction.atomic
def start_demo_round(committee_slug: str = "housing-community") -> CollectionRound | None:
    """Open the seed council's Q2 2020/21 round, as the demo's performance officer, unless a
    round for it exists; return it when it was opened now."""
    if CollectionRound.objects.filter(period=Q2).exists():
        return None
    committee = Committee.objects.filter(slug=committee_slug).first()
    officer = performance_officers().first()
    if committee is None or officer is None:
        return None
    _give_addresses()
    indicators = list(committee.indicators.select_related("owner__user").order_by("code"))
    for indicator in indicators:  # this quarter's targets are last quarter's
        for target in Target.objects.filter(indicator=indicator, period=Q1):
            Target.objects.get_or_create(indicator=indicator, period=Q2, defaults={"value": target.value})
    created = open_round(
        Q2,
        user=officer,
        opens_on=date(2020, 10, 1),
        due_on=date(2020, 10, 14),
        approvals_due_on=date(2020, 10, 21),
    )
    by_code = {i.code: i for i in indicators}
    csu10, csu12 = by_code.get("CSU10"), by_code.get("CSU12")
    if csu10 is not None and not Value.objects.filter(indicator=csu10, period=Q2).exists():
        save_value(csu10, Q2, user=officer, value=Decimal("92.5"), note="September's figure to follow.")
    if csu12 is not None and not Value.objects.filter(indicator=csu12, period=Q2).exists():
        entered = save_value(
            csu12,
            Q2,
            user=officer,
            value=Decimal("0"),
            not_measured=True,
            no_data_reason="No face to face meetings: the Forum stayed closed under CV-19 guidance.",
        )
        submit_value(entered, user=officer, expected_version=entered.version)
    return created


def _give_addresses() -> None:
    """Everyone in the seed council gets a demo address (where they have none), and so do the
    demo's performance officers, so reminders have somewhere to go."""
    for person in Person.objects.filter(email="", is_councillor=False):
        first, _, last = person.name.partition(" ")
        Person.objects.filter(pk=person.pk).update(
            email=ADDRESS.format(first=first, last=last.replace(" ", "")).lower()
        )
    for user in performance_officers().filter(email=""):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@dacorum.example")
