"""One demo account per role, so someone trying Scrutineer can sign in as each at once.

Passwords come from SCRUTINEER_DEMO_PASSWORD when set; otherwise each is generated once,
kept in var/demo-accounts.txt (never committed) and printed on every start.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.catalogue.models import Committee, Person


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    who: str
    password: str


# username, role shown, the seed person it signs in as (None: a demo-only person)
ACCOUNTS = [
    ("owner", "Data owner", "Tracy Lancashire"),
    ("approver", "Approver", "Matt Rawdon"),
    ("officer", "Performance officer", None),
    ("councillor", "Councillor", None),
    ("admin", "Administrator", None),
]


def _passwords_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-accounts.txt"


def _stored_passwords() -> dict[str, str]:
    path = _passwords_file()
    if not path.exists():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    return {name: password for name, password in pairs}


@transaction.atomic
def ensure_demo_accounts(committee_slug: str = "housing-community") -> list[DemoAccount]:
    """Create the demo accounts that are missing; return every account with its password."""
    from_env = os.environ.get("SCRUTINEER_DEMO_PASSWORD", "")
    stored = _stored_passwords()
    accounts: list[DemoAccount] = []
    committee = Committee.objects.filter(slug=committee_slug).first()
    for username, role, seed_person in ACCOUNTS:
        user, created = User.objects.get_or_create(username=username)
        if from_env:
            password = from_env
            user.set_password(password)
        elif username in stored and not created:
            password = stored[username]
        else:  # new, or its password was never recorded here: give it one we can print
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            stored[username] = password
        if username == "admin":
            user.is_staff = user.is_superuser = True
        user.save()
        if username == "officer":
            user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
        if seed_person is not None:
            person = Person.objects.filter(name=seed_person).first()
            if person is not None and person.user_id is None:
                Person.objects.filter(pk=person.pk).update(user=user)
            who = seed_person
        elif username == "councillor":
            person, _ = Person.objects.get_or_create(
                name="Demo Councillor",
                job_title="Member, Housing and Community Overview & Scrutiny (demo account)",
                defaults={"honorific": "Cllr", "is_councillor": True, "user": user},
            )
            if committee is not None:
                committee.members.add(person)
            who = str(person)
        else:
            who = "(demo account)"
        accounts.append(DemoAccount(username, role, who, password))
    if not from_env:
        path = _passwords_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{name} {pw}\n" for name, pw in stored.items()))
        path.chmod(0o600)
    return accounts
