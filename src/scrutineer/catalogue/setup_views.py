"""The first-run page, the council's logo, and the identity page.

- `/setup/` names a new site's council and makes its first performance officer. It is
  there only while `access.may_set_up_site` says so (no council set up, no account at
  all): after that it answers 404 for everyone. `FirstRunMiddleware` sends visitors of a
  new site's home and sign-in pages there.
- `/site/logo/<digest>/` serves the logo kept in the database, cached for a year: its
  address changes when the logo does.
- `/manage/identity/` lets performance officers change the name, short name, licence and
  logo, with a reason.

The actions are in `catalogue.setup`; see docs/setting-up.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from scrutineer.catalogue import setup
from scrutineer.catalogue.access import may_set_up_site, officer_required
from scrutineer.catalogue.models import SITE_DEFAULTS_PK, SiteDefaults, site_identity
from scrutineer.catalogue.setup_forms import FirstRunForm, IdentityForm, logo_bytes
from scrutineer.changes import Rejected, StaleEdit
from scrutineer.security import oidc

PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"
LOGO_CACHE_SECONDS = 365 * 24 * 60 * 60


class FirstRunMiddleware:
    """On a new site (`may_set_up_site`), the home page and the sign-in page lead to the
    first-run page: there is nobody to sign in as and nothing to show yet. Other addresses
    are left alone, so this costs nothing on them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        entry = request.method == "GET" and request.path in (reverse("web:home"), reverse("login"))
        if entry and may_set_up_site(request.user):
            return HttpResponseRedirect(reverse("setup:first-run"))
        return self.get_response(request)


def _logo(form: Any) -> setup.Logo | None:
    """The uploaded logo, checked; None without one. A refusal goes on the form's logo field."""
    data = logo_bytes(form.cleaned_data.get("logo"))
    if data is None:
        return None
    try:
        return setup.read_logo(data)
    except Rejected as exc:
        exc.put_on(form)
        return None


@require_http_methods(["GET", "POST"])
def first_run(request: HttpRequest) -> HttpResponse:
    if not may_set_up_site(request.user):
        raise Http404("This site is set up already.")
    initial = {"council_name": getattr(settings, "SCRUTINEER_COUNCIL_NAME", "")}
    passwords = bool(settings.SCRUTINEER_PASSWORD_SIGN_IN)
    form = FirstRunForm(request.POST or None, request.FILES or None, initial=initial, passwords=passwords)
    if request.method == "POST" and form.is_valid():
        logo = _logo(form)
        if not form.errors:
            data = form.cleaned_data
            try:
                officer = setup.set_up_council(
                    council_name=data["council_name"],
                    short_name=data["short_name"],
                    licence=data["licence"],
                    logo=logo,
                    username=data["username"],
                    name=data["name"],
                    email=data["email"],
                    password=data["password"] if passwords else None,
                    first_run_page=True,
                )
            except setup.AlreadySetUp as exc:
                raise Http404(exc.message) from None
            except Rejected as exc:
                exc.put_on(form)
            else:
                council = site_identity().name
                if not passwords:
                    # Signed in only once the council's provider vouches for the address given.
                    messages.success(
                        request,
                        f"{council} is set up. Sign in with “{oidc.button_text()}”, as {officer.email}: "
                        f"that account is {data['name']}’s, the performance officer.",
                    )
                    return redirect("login")
                if PASSWORD_BACKEND in settings.AUTHENTICATION_BACKENDS:
                    login(request, officer, backend=PASSWORD_BACKEND)
                    messages.success(
                        request, f"{council} is set up, and you are signed in as {officer.username}."
                    )
                    return redirect("manage:index")
                messages.success(request, f"{council} is set up: sign in as {officer.username}.")
                return redirect("login")
    status = 400 if form.is_bound else 200
    return render(
        request,
        "catalogue/first_run.html",
        {"form": form, "errors": form.error_summary, "passwords": passwords},
        status=status,
    )


@require_GET
def logo(request: HttpRequest, digest: str) -> HttpResponse:
    stored = (
        SiteDefaults.objects.filter(pk=SITE_DEFAULTS_PK, logo_digest=digest)
        .exclude(logo_digest="")
        .values_list("logo", "logo_content_type")
        .first()
    )
    if stored is None:
        raise Http404("No such logo.")
    content, content_type = stored
    response = HttpResponse(bytes(content), content_type=content_type)
    response["Cache-Control"] = f"public, max-age={LOGO_CACHE_SECONDS}, immutable"
    response["Content-Disposition"] = "inline"
    return response


@officer_required
@require_http_methods(["GET", "POST"])
def identity(request: HttpRequest) -> HttpResponse:
    """The council's name, short name, licence and logo, for performance officers."""
    site, _ = SiteDefaults.objects.get_or_create(pk=SITE_DEFAULTS_PK)
    shown = site_identity()
    if request.method != "POST":
        form = IdentityForm(
            initial={
                "council_name": site.council_name,
                "short_name": site.short_name,
                "licence": site.licence,
                "version": site.version,
            }
        )
    else:
        form = IdentityForm(request.POST, request.FILES)
        if form.is_valid():
            logo = _logo(form)
            if not form.errors:
                data = form.cleaned_data
                try:
                    setup.change_identity(
                        user=request.user,
                        council_name=data["council_name"],
                        short_name=data["short_name"],
                        licence=data["licence"],
                        logo=logo,
                        remove_logo=data["remove_logo"],
                        reason=data["reason"],
                        expected_version=data["version"],
                    )
                except setup.Unchanged as exc:
                    messages.info(request, exc.message)
                    return redirect("manage:identity")
                except (Rejected, StaleEdit) as exc:
                    exc.put_on(form)
                else:
                    messages.success(request, "The council's details are saved.")
                    return redirect("manage:identity")
    status = 400 if form.is_bound else 200
    return render(
        request,
        "catalogue/identity.html",
        {"form": form, "errors": form.error_summary, "current": shown},
        status=status,
    )
