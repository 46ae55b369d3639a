import pytest
from django.contrib.auth import authenticate as _authenticate
from django.test import RequestFactory

from scrutineer.catalogue.access import Role, roles_of
from scrutineer.demo.users import ensure_demo_accounts

pytestmark = pytest.mark.django_db


def authenticate(**credentials):
    # Sign-in goes through django-axes, which needs the request.
    return _authenticate(RequestFactory().post("/accounts/login/"), **credentials)


def test_one_account_per_role_that_signs_in_with_the_printed_password(
    seed_council, settings, tmp_path, monkeypatch
):
    monkeypatch.delenv("SCRUTINEER_DEMO_PASSWORD", raising=False)
    settings.VAR_DIR = tmp_path
    accounts = {a.username: a for a in ensure_demo_accounts()}
    expected = {
        "owner": Role.DATA_OWNER,
        "approver": Role.APPROVER,
        "officer": Role.PERFORMANCE_OFFICER,
        "councillor": Role.COUNCILLOR,
        "admin": Role.ADMINISTRATOR,
    }
    for username, role in expected.items():
        user = authenticate(username=username, password=accounts[username].password)
        assert user is not None, username
        assert role in roles_of(user), (username, roles_of(user))
    assert accounts["owner"].who == "Tracy Lancashire"
    # Again: the same passwords, still valid, printed again.
    again = {a.username: a.password for a in ensure_demo_accounts()}
    assert again == {name: a.password for name, a in accounts.items()}
    assert authenticate(username="owner", password=again["owner"]) is not None


def test_passwords_from_the_environment(seed_council, settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("SCRUTINEER_DEMO_PASSWORD", "a-shared-demo-password")
    ensure_demo_accounts()
    assert authenticate(username="approver", password="a-shared-demo-password") is not None
    assert not (tmp_path / "demo-accounts.txt").exists()
