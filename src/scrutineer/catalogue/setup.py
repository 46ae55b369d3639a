"""First run and the council's identity: the actions behind `scrutineer setup`, the
first-run page (`/setup/`) and the identity page (`/manage/identity/`).

- `set_up_council` names the council and makes its first performance officer (an account
  in the "Performance officers" group and the person it signs in as), in one transaction,
  once: a council already set up is refused (`AlreadySetUp`) and nothing changes.
- `change_identity` lets performance officers change the name, short name, licence and
  logo later, with a reason kept in the change history.
- `read_logo` checks an uploaded logo before it is stored: a PNG or JPEG of at most
  `LOGO_MAX_BYTES`, and no larger than `LOGO_MAX_SIDE` pixels a side. SVG is refused: it
  can carry scripts, and the reports' Word and PDF files need a bitmap anyway.

Bad input raises `changes.Rejected` with a message per field, keyed as the forms name them
(`council_name`, `short_name`, `licence`, `logo`, `username`, `name`, `email`, `password`).
See docs/setting-up.md and decision 16.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from scrutineer.catalogue.access import (
    PERFORMANCE_OFFICERS,
    check_may_change_identity,
    council_is_set_up,
    may_set_up_site,
)
from scrutineer.catalogue.models import SITE_DEFAULTS_PK, Person, SiteDefaults
from scrutineer.changes import ChangeError, Rejected, claim, raise_version, record_change

LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_SIDE = 2000
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}

NAME_MAX, SHORT_NAME_MAX, LICENCE_MAX = 200, 60, 200


class AlreadySetUp(ChangeError):
    """The council is set up already: setting it up again would change nothing but confusion."""


class Unchanged(ChangeError):
    """The identity form was saved as stored: nothing was written."""


@dataclass(frozen=True)
class Logo:
    """A logo `read_logo` has checked: its bytes, content type and SHA-256."""

    content: bytes
    content_type: str
    digest: str


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB" if count >= 1024 * 1024 else f"{max(1, round(count / 1024))} KB"


def read_logo(data: bytes) -> Logo:
    """Check an uploaded logo; `Rejected` on the `logo` field says what to do instead."""
    limit = _size(LOGO_MAX_BYTES)
    if not data:
        raise Rejected("logo", "The logo file is empty: choose a PNG or JPEG image.")
    if len(data) > LOGO_MAX_BYTES:
        raise Rejected(
            "logo", f"The logo is {_size(len(data))}: it must be at most {limit}. Save it smaller."
        )
    head = data[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype", b"<html")) or b"<svg" in head:
        raise Rejected(
            "logo", "SVG logos are not accepted, since an SVG can carry scripts: save it as a PNG or JPEG."
        )
    from PIL import Image, UnidentifiedImageError

    unreadable = "The logo is not a PNG or JPEG image that can be read: save it again as a PNG or JPEG."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
                if kind not in LOGO_TYPES:
                    raise Rejected("logo", f"The logo is a {kind} image: save it as a PNG or JPEG.")
                if max(width, height) > LOGO_MAX_SIDE:
                    raise Rejected(
                        "logo",
                        f"The logo is {width} × {height} pixels: it must be at most {LOGO_MAX_SIDE} "
                        f"pixels a side. Save it smaller.",
                    )
                image.load()  # decodes it all: a corrupt file fails here
                if not _ends_whole(kind, data):
                    raise Rejected("logo", unreadable)
    except Rejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        raise Rejected("logo", unreadable) from None
    return Logo(content=data, content_type=LOGO_TYPES[str(kind)], digest=hashlib.sha256(data).hexdigest())


def _ends_whole(kind: str | None, data: bytes) -> bool:
    """The file ends as a whole image of its kind does. `Image.load` alone cannot say, since
    WeasyPrint, once imported, tells Pillow to accept truncated images process-wide."""
    if kind == "PNG":
        return data.endswith(b"IEND\xaeB`\x82")
    return b"\xff\xd9" in data[-1024:]  # JPEG: its end-of-image marker


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _identity_errors(council_name: str, short_name: str, licence: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not council_name:
        errors["council_name"] = ["Enter the council's name, e.g. Borsetshire District Council."]
    elif len(council_name) > NAME_MAX:
        errors["council_name"] = [f"The council's name must be at most {NAME_MAX} characters."]
    if len(short_name) > SHORT_NAME_MAX:
        errors["short_name"] = [f"The short name must be at most {SHORT_NAME_MAX} characters."]
    if len(licence) > LICENCE_MAX:
        errors["licence"] = [f"The licence must be at most {LICENCE_MAX} characters."]
    return errors


def _officer_errors(username: str, name: str, email: str, password: str | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = ["Enter a username for the first performance officer."]
    elif len(username) > 150:
        errors["username"] = ["The username must be at most 150 characters."]
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            errors["username"] = ["A username may contain only letters, digits and the characters @ . + - _"]
        else:
            if User.objects.filter(username__iexact=username).exists():
                errors["username"] = [f"The username {username} is taken: choose another."]
    if not name:
        errors["name"] = ["Enter the performance officer's full name, as reports will print it."]
    elif len(name) > 200:
        errors["name"] = ["The name must be at most 200 characters."]
    if not email:
        errors["email"] = ["Enter the performance officer's email address."]
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [f"{email} is not an email address: enter one like name@example.gov.uk."]
    if password is None:  # they sign in with the council's account
        pass
    elif not password:
        errors["password"] = ["Enter a password for the performance officer."]
    else:
        try:
            validate_password(password, user=User(username=username, email=email, first_name=name))
        except ValidationError as exc:
            errors["password"] = [" ".join(exc.messages)]
    return errors


@transaction.atomic
def set_up_council(
    *,
    council_name: str,
    username: str,
    name: str,
    email: str,
    password: str | None,
    short_name: str = "",
    licence: str = "",
    logo: Logo | None = None,
    first_run_page: bool = False,
) -> User:
    """Name the council and make its first performance officer; return their account.

    Refused with `AlreadySetUp` once a council is set up (`access.council_is_set_up`); from
    the first-run page (`first_run_page`), also once any account exists
    (`access.may_set_up_site`). A `password` of None makes an account with no password, for a
    site that signs in with the council's accounts only: it is matched by `email` there.
    Bad input raises `Rejected` with every field's error at once.
    Nothing is changed when either is raised.
    """
    council_name, short_name, licence = _text(council_name), _text(short_name), _text(licence)
    username, name, email = _text(username), _text(name), _text(email)
    input = {
        "council_name": council_name,
        "short_name": short_name,
        "licence": licence,
        "username": username,
        "name": name,
        "email": email,
    }
    # The site's row, locked (on PostgreSQL; SQLite writes one at a time): of two setups at
    # once, the second sees the first's council and is refused.
    SiteDefaults.objects.get_or_create(pk=SITE_DEFAULTS_PK)
    site = SiteDefaults.objects.select_for_update().get(pk=SITE_DEFAULTS_PK)
    if first_run_page and not may_set_up_site(None):
        raise AlreadySetUp("This site is set up already: sign in to change it.", input=input)
    if council_is_set_up():
        named = f" as {site.council_name}" if site.council_name else ""
        raise AlreadySetUp(
            f"The council is set up already{named}: a performance officer changes its name on "
            "Manage → The council's name and logo.",
            input=input,
        )
    errors = {
        **_identity_errors(council_name, short_name, licence),
        **_officer_errors(username, name, email, password),
    }
    if errors:
        raise Rejected.from_errors(errors, input=input)

    reason = "Set up on the first-run page" if first_run_page else "Set up with scrutineer setup"
    officer = User(username=username, email=email)
    if password is None:
        officer.set_unusable_password()
    else:
        officer.set_password(password)
    record_change(officer, None, reason)
    officer._history_user = officer  # type: ignore[attr-defined]
    officer.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    record_change(Person(name=name, email=email, user=officer), officer, reason)

    site.council_name, site.short_name, site.licence = council_name, short_name, licence
    if logo is not None:
        site.logo, site.logo_content_type, site.logo_digest = logo.content, logo.content_type, logo.digest
    raise_version(site)
    record_change(site, officer, reason)
    return officer


@transaction.atomic
def change_identity(
    *,
    user: Any,
    council_name: str,
    short_name: str,
    licence: str,
    reason: str,
    expected_version: int | None,
    logo: Logo | None = None,
    remove_logo: bool = False,
) -> SiteDefaults:
    """Change the council's name, short name, licence or logo (a new `logo`, or `remove_logo`).

    Performance officers only; needs a reason; refuses a stale edit (`StaleEdit`) and a
    save that changes nothing (`Unchanged`).
    """
    check_may_change_identity(user)
    council_name, short_name, licence = _text(council_name), _text(short_name), _text(licence)
    reason = str(reason or "").strip()
    input = {
        "council_name": council_name,
        "short_name": short_name,
        "licence": licence,
        "reason": reason,
        "version": expected_version,
    }
    errors = _identity_errors(council_name, short_name, licence)
    if not reason:
        errors["reason"] = [
            "Say why you are changing the council's details: the reason is kept in the history."
        ]
    if errors:
        raise Rejected.from_errors(errors, input=input)
    SiteDefaults.objects.get_or_create(pk=SITE_DEFAULTS_PK)
    site: SiteDefaults = claim(SiteDefaults.objects.all(), SITE_DEFAULTS_PK, expected_version, "page", input)
    changed = (site.council_name, site.short_name, site.licence) != (council_name, short_name, licence)
    site.council_name, site.short_name, site.licence = council_name, short_name, licence
    if logo is not None and logo.digest != site.logo_digest:
        site.logo, site.logo_content_type, site.logo_digest = logo.content, logo.content_type, logo.digest
        changed = True
    elif remove_logo and site.logo_digest:
        site.logo, site.logo_content_type, site.logo_digest = b"", "", ""
        changed = True
    if not changed:
        raise Unchanged("Nothing was changed, so nothing was saved: the council's details are as they were.")
    record_change(site, user, reason)
    return site
