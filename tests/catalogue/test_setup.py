"""First run and the council's identity (catalogue/setup.py): the group every database
has, the setup action and `scrutineer setup`, the logo's checks, and the identity read."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS, council_is_set_up, is_performance_officer
from scrutineer.catalogue.models import SITE_DEFAULTS_PK, Person, SiteDefaults, site_identity
from scrutineer.catalogue.setup import (
    LOGO_MAX_BYTES,
    LOGO_MAX_SIDE,
    AlreadySetUp,
    Unchanged,
    change_identity,
    read_logo,
    set_up_council,
)
from scrutineer.changes import Rejected, StaleEdit
from tests.factories import PerformanceOfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "correct horse battery staple"
COUNCIL = "Borsetshire District Council"


def image(kind="PNG", size=(40, 20), colour=(0, 94, 165)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, kind)
    return buffer.getvalue()


def set_up(**overrides):
    given = {
        "council_name": COUNCIL,
        "short_name": "Borsetshire",
        "licence": "Open Government Licence v3.0",
        "username": "jsmith",
        "name": "Jo Smith",
        "email": "jo.smith@example.gov.uk",
        "password": GOOD_PASSWORD,
        **overrides,
    }
    return set_up_council(**given)


def nothing_changed():
    assert not User.objects.exists() and not Person.objects.exists()
    assert SiteDefaults.objects.filter(pk=SITE_DEFAULTS_PK).exclude(council_name="").count() == 0


# Roles from migrations


def test_every_database_has_the_performance_officers_group_from_its_migrations():
    assert Group.objects.filter(name=PERFORMANCE_OFFICERS).count() == 1


# The identity read


def test_a_new_site_has_no_identity_and_the_setting_still_names_it(settings):
    settings.SCRUTINEER_COUNCIL_NAME = ""
    identity = site_identity()
    assert (identity.name, identity.short_name, identity.licence, identity.has_logo) == ("", "", "", False)
    assert identity.logo_url == "" and identity.logo_bytes() == b""
    settings.SCRUTINEER_COUNCIL_NAME = "From the setting"
    assert site_identity().name == site_identity().short_name == "From the setting"


def test_the_short_name_falls_back_to_the_full_name():
    set_up(short_name="")
    assert site_identity().short_name == COUNCIL


# Setting up


def test_setting_up_names_the_council_and_makes_its_first_officer_with_history():
    logo = read_logo(image())
    officer = set_up(logo=logo)

    assert officer.check_password(GOOD_PASSWORD) and officer.email == "jo.smith@example.gov.uk"
    assert is_performance_officer(officer) and not officer.is_staff and not officer.is_superuser
    person = Person.objects.get(user=officer)
    assert (person.name, person.email) == ("Jo Smith", "jo.smith@example.gov.uk")
    identity = site_identity()
    assert (identity.name, identity.short_name, identity.licence) == (
        COUNCIL,
        "Borsetshire",
        "Open Government Licence v3.0",
    )
    assert identity.logo_content_type == "image/png" and identity.logo_bytes() == logo.content
    assert identity.logo_url == f"/site/logo/{logo.digest}/"
    assert council_is_set_up()
    site_row = SiteDefaults.objects.get().history.latest()
    assert (
        site_row.history_user == officer and site_row.history_change_reason == "Set up with scrutineer setup"
    )
    assert site_row.council_name == COUNCIL and site_row.logo_digest == logo.digest
    assert person.history.latest().history_change_reason == "Set up with scrutineer setup"


def test_a_council_already_set_up_is_refused_and_nothing_changes():
    set_up()
    with pytest.raises(AlreadySetUp, match="set up already as Borsetshire District Council"):
        set_up(council_name="Another Council", username="other", email="o@example.gov.uk")
    assert site_identity().name == COUNCIL and User.objects.count() == 1


def test_a_site_with_a_performance_officer_counts_as_set_up():
    PerformanceOfficerFactory()
    with pytest.raises(AlreadySetUp):
        set_up()
    assert site_identity().name == ""


def test_the_first_run_page_is_refused_once_any_account_exists():
    UserFactory()  # no role, but someone could sign in: the page is not for strangers then
    with pytest.raises(AlreadySetUp):
        set_up(first_run_page=True)
    assert not Person.objects.exists()


def test_bad_input_is_refused_field_by_field_and_nothing_changes():
    with pytest.raises(Rejected) as refused:
        set_up(council_name="  ", username="jo smith!", name="", email="not-an-email", password="jsmith12")
    errors = refused.value.errors
    assert errors["council_name"] == ["Enter the council's name, e.g. Borsetshire District Council."]
    assert errors["username"] == ["A username may contain only letters, digits and the characters @ . + - _"]
    assert errors["name"] == ["Enter the performance officer's full name, as reports will print it."]
    assert errors["email"] == ["not-an-email is not an email address: enter one like name@example.gov.uk."]
    assert errors["password"] == ["The password is too similar to the username."]
    nothing_changed()


def test_a_weak_password_is_refused_by_djangos_validators():
    with pytest.raises(Rejected) as refused:
        set_up(password="12345678")
    assert set(refused.value.errors) == {"password"}
    assert "too common" in refused.value.errors["password"][0]
    nothing_changed()


def test_a_username_taken_in_any_case_is_refused_on_a_site_not_yet_named():
    UserFactory(username="JSmith")
    with pytest.raises(Rejected) as refused:
        set_up()
    assert refused.value.errors == {"username": ["The username jsmith is taken: choose another."]}
    assert site_identity().name == ""


def test_names_too_long_are_refused():
    with pytest.raises(Rejected) as refused:
        set_up(council_name="x" * 201, short_name="y" * 61, licence="z" * 201)
    assert set(refused.value.errors) == {"council_name", "short_name", "licence"}


# The logo


def test_a_png_or_jpeg_logo_is_read_with_its_type_and_digest():
    assert read_logo(image("PNG")).content_type == "image/png"
    jpeg = read_logo(image("JPEG"))
    assert jpeg.content_type == "image/jpeg" and len(jpeg.digest) == 64


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "empty"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>', "SVG"),
        (b"  <svg onload='alert(1)'></svg>", "SVG"),
        (image("GIF"), "a GIF image"),
        (b"\x89PNG\r\n\x1a\n" + b"not really", "not a PNG or JPEG image that can be read"),
        (image("PNG")[:60], "not a PNG or JPEG image that can be read"),  # truncated
        (b"x" * (LOGO_MAX_BYTES + 1), "it must be at most 512 KB"),
        (image("PNG", size=(LOGO_MAX_SIDE + 1, 10)), "pixels a side"),
    ],
)
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused(data, says):
    with pytest.raises(Rejected) as refused:
        read_logo(data)
    assert refused.value.field == "logo" and says in refused.value.message


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_truncated_logo_is_refused_even_once_weasyprint_has_told_pillow_to_accept_them(kind):
    """Importing WeasyPrint (every report build does) sets Pillow's LOAD_TRUNCATED_IMAGES
    for the whole process; the logo check must not depend on which ran first."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    whole = image(kind, size=(40, 20))
    assert read_logo(whole).digest
    with pytest.raises(Rejected) as refused:
        read_logo(whole[: len(whole) - 12])
    assert "not a PNG or JPEG image that can be read" in refused.value.message


# Changing the identity


def test_an_officer_changes_the_identity_with_a_reason_kept_in_the_history():
    officer = set_up()
    site = SiteDefaults.objects.get()
    logo = read_logo(image("JPEG"))
    change_identity(
        user=officer,
        council_name="Borsetshire Council",
        short_name="Borset",
        licence="",
        logo=logo,
        reason="Renamed on 1 April",
        expected_version=site.version,
    )
    identity = site_identity()
    assert (identity.name, identity.short_name, identity.licence) == ("Borsetshire Council", "Borset", "")
    assert identity.logo_content_type == "image/jpeg"
    row = SiteDefaults.objects.get().history.latest()
    assert row.history_user == officer and row.history_change_reason == "Renamed on 1 April"

    version = SiteDefaults.objects.get().version
    change_identity(
        user=officer,
        council_name="Borsetshire Council",
        short_name="Borset",
        licence="",
        remove_logo=True,
        reason="The logo is being redrawn",
        expected_version=version,
    )
    assert not site_identity().has_logo


def test_changing_the_identity_needs_an_officer_a_reason_a_name_a_change_and_the_latest_version():
    officer = set_up()
    version = SiteDefaults.objects.get().version
    same = {"council_name": COUNCIL, "short_name": "Borsetshire", "licence": "Open Government Licence v3.0"}
    with pytest.raises(Exception, match="Only performance officers"):
        change_identity(user=UserFactory(), **same, reason="x", expected_version=version)
    with pytest.raises(Rejected) as refused:
        change_identity(user=officer, **{**same, "council_name": ""}, reason="", expected_version=version)
    assert set(refused.value.errors) == {"council_name", "reason"}
    with pytest.raises(Unchanged):
        change_identity(user=officer, **same, reason="No change", expected_version=version)
    with pytest.raises(StaleEdit):
        change_identity(user=officer, **{**same, "short_name": "B"}, reason="x", expected_version=version - 1)
    assert site_identity().short_name == "Borsetshire" and SiteDefaults.objects.get().version == version


# scrutineer setup


def test_the_command_sets_up_a_council_without_questions(monkeypatch, capsys):
    monkeypatch.setenv("SCRUTINEER_OFFICER_PASSWORD", GOOD_PASSWORD)
    call_command(
        "setup", "--council", COUNCIL, "--officer", "jsmith", "--email", "jo@example.gov.uk", "--no-input"
    )
    out = capsys.readouterr().out
    assert "Borsetshire District Council is set up; jsmith is its performance officer." in out
    assert "password" not in out  # it came from the environment: never printed
    officer = User.objects.get(username="jsmith")
    assert officer.check_password(GOOD_PASSWORD) and is_performance_officer(officer)
    assert Person.objects.get(user=officer).name == "jsmith"  # no --name: the username


def test_the_command_generates_a_strong_password_and_prints_it_once(monkeypatch, capsys):
    monkeypatch.delenv("SCRUTINEER_OFFICER_PASSWORD", raising=False)
    call_command(
        "setup",
        "--council",
        COUNCIL,
        "--officer",
        "jsmith",
        "--name",
        "Jo Smith",
        "--email",
        "jo@example.gov.uk",
        "--no-input",
    )
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "shown only this once" in line)
    password = line.rsplit(" ", 1)[1]
    assert len(password) >= 20 and User.objects.get(username="jsmith").check_password(password)
    assert out.count(password) == 1


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--officer", "jsmith", "--email", "jo@example.gov.uk"], "With --no-input, give --council."),
        (["--council", COUNCIL, "--officer", "jsmith", "--email", "nope"], "--email: nope is not an email"),
        (
            ["--council", COUNCIL, "--officer", "j smith", "--email", "jo@example.gov.uk"],
            "--officer: A username",
        ),
    ],
)
def test_the_command_refuses_bad_input_in_one_sentence_and_changes_nothing(monkeypatch, args, says):
    monkeypatch.setenv("SCRUTINEER_OFFICER_PASSWORD", GOOD_PASSWORD)
    with pytest.raises(CommandError) as refused:
        call_command("setup", *args, "--no-input")
    assert str(refused.value).startswith(says)
    nothing_changed()


def test_the_command_refuses_a_weak_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("SCRUTINEER_OFFICER_PASSWORD", "password")
    with pytest.raises(CommandError, match="SCRUTINEER_OFFICER_PASSWORD: This password is too common"):
        call_command(
            "setup", "--council", COUNCIL, "--officer", "jsmith", "--email", "j@example.gov.uk", "--no-input"
        )
    nothing_changed()


def test_the_command_refuses_a_council_already_set_up(monkeypatch):
    set_up()
    monkeypatch.setenv("SCRUTINEER_OFFICER_PASSWORD", GOOD_PASSWORD)
    with pytest.raises(CommandError, match=r"^The council is set up already as Borsetshire District Council"):
        call_command(
            "setup", "--council", "Other", "--officer", "other", "--email", "o@example.gov.uk", "--no-input"
        )
    assert site_identity().name == COUNCIL and User.objects.count() == 1


def test_the_command_asks_each_question_and_the_password_twice(monkeypatch):
    answers = iter([COUNCIL, "Borsetshire", "", "jsmith", "Jo Smith", "jo@example.gov.uk"])
    passwords = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))
    call_command("setup")
    identity = site_identity()
    assert (identity.name, identity.short_name, identity.licence) == (COUNCIL, "Borsetshire", "")
    assert Person.objects.get(user__username="jsmith").name == "Jo Smith"


def test_the_command_refuses_two_different_passwords(monkeypatch):
    answers = iter([COUNCIL, "", "", "jsmith", "Jo Smith", "jo@example.gov.uk"])
    passwords = iter([GOOD_PASSWORD, GOOD_PASSWORD + "!"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))
    with pytest.raises(CommandError, match="The two passwords are not the same"):
        call_command("setup")
    nothing_changed()


def test_the_command_exits_non_zero_with_one_line_on_stderr(monkeypatch, capsys):
    """As a script sees it: `scrutineer setup` on a set-up site exits 1 and says why."""
    from scrutineer.cli import main

    set_up()
    monkeypatch.setenv("SCRUTINEER_OFFICER_PASSWORD", GOOD_PASSWORD)
    with pytest.raises(SystemExit) as exited:
        main(
            [
                "scrutineer",
                "setup",
                "--council",
                "X",
                "--officer",
                "x",
                "--email",
                "x@example.gov.uk",
                "--no-input",
            ]
        )
    assert exited.value.code == 1
    stderr = capsys.readouterr().err.strip()
    assert stderr.startswith("CommandError: The council is set up already as Borsetshire District Council")
    assert len(stderr.splitlines()) == 1
