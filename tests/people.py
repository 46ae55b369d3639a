"""Signing in as a person of the seed council, for tests of the pages."""

from django.contrib.auth.models import User

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
