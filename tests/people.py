"""Signing in as a person of the seed council, for tests of the pages: the one place
tests make accounts for people (factories in tests/factories.py make the rest)."""

from django.contrib.auth.models import Group, User

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.catalogue.models import Person


def user_for(name, **person):
    """A user for the person called `name`: the seed's person if there is one, else a new one."""
    user = User.objects.create_user(name.split()[0].lower(), password="x-long-password")
    found = Person.objects.filter(name=name).first()
    if found:
        Person.objects.filter(pk=found.pk).update(user=user)
    else:
        Person.objects.create(name=name, user=user, **person)
    return user


def login_as(client, name=None, *, officer=False, councillor_of=None):
    """Sign `client` in as a new account: the seed's person `name`, an officer, or a
    councillor on `councillor_of`."""
    user = User.objects.create_user(f"user-{User.objects.count()}", password="x-long-password")
    if officer:
        user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    if name:
        Person.objects.filter(name=name).update(user=user)
    if councillor_of:
        person = Person.objects.create(name="A Councillor", is_councillor=True, user=user)
        councillor_of.members.add(person)
    client.force_login(user)
    return user
