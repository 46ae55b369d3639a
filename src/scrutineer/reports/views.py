"""Report pages: published versions for everyone, except exempt (Part II) versions, which only
the committee's members and officers see (`access.may_read_version`); drafts and builds for
performance officers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from scrutineer.catalogue.access import (
    EXEMPT,
    check_may_read_version,
    is_performance_officer,
    may_read_version,
    officer_required,
    readable_versions,
    signed_in,
)
from scrutineer.catalogue.models import Committee
from scrutineer.changes import StaleEdit, as_version
from scrutineer.engine import Frequency, Period, PeriodKeyError
from scrutineer.performance import approved_quarters
from scrutineer.reports.builder import build_document
from scrutineer.reports.builds import fail_interrupted_builds, queue_build
from scrutineer.reports.models import (
    BuildState,
    BuiltFile,
    Report,
    ReportBuild,
    ReportFile,
    ReportVersion,
)
from scrutineer.reports.output import draft_report
from scrutineer.reports.renderers import FORMATS
from scrutineer.reports.renderers import render as render_document


def report_list(request: HttpRequest) -> HttpResponse:
    """Every committee's published reports the visitor may read (a Part II version is
    listed only for the committee's members and officers); officers also see drafts, and
    pick a quarter to start or open a report for."""
    officer = is_performance_officer(request.user)
    shown = readable_versions(request.user, ReportVersion.objects.order_by("number"))
    committees = []
    for committee in Committee.objects.order_by("name"):
        reports = Report.objects.filter(committee=committee).order_by("-period")
        if not officer:
            reports = reports.filter(pk__in=shown.values("report_id"))
        found = list(reports.prefetch_related(Prefetch("versions", queryset=shown, to_attr="shown_versions")))
        for report in found:
            report.exempt_shown = report.part == EXEMPT if officer else False
            report.exempt_shown |= any(v.exempt for v in report.shown_versions)
        quarters = _report_quarters(committee, found) if officer else []
        committees.append((committee, found, quarters))
    return render(request, "reports/list.html", {"committees": committees, "officer": officer})


def _report_quarters(committee: Committee, reports: list[Report]) -> list[Period]:
    """Quarters an officer may want a report for: those with approved figures for the
    committee, the last two that have ended, and those with a report already."""
    latest = Period.containing(timezone.localdate(), Frequency.QUARTERLY).previous()
    chosen = {latest, latest.previous(), *approved_quarters(committee.indicators.all())}
    chosen.update(r.period for r in reports)
    return sorted(chosen, reverse=True)


def open_report(request: HttpRequest, slug: str) -> HttpResponse:
    """`?period=2020-21-Q2`: to that quarter's report page (where an officer starts it)."""
    committee = get_object_or_404(Committee, slug=slug)
    try:
        period = Period.parse(request.GET.get("period", ""))
    except PeriodKeyError as exc:
        messages.error(request, f"Choose a quarter for the {committee.name} report: {exc}")
        return redirect("reports:list")
    if period.frequency is not Frequency.QUARTERLY:
        messages.error(request, f"Reports are quarterly: {period.label} is not a quarter.")
        return redirect("reports:list")
    return redirect("reports:detail", slug=committee.slug, period=period)


def report_detail(request: HttpRequest, slug: str, period: Period) -> HttpResponse:
    committee = get_object_or_404(Committee, slug=slug)
    officer = is_performance_officer(request.user)
    report = Report.objects.filter(committee=committee, period=period).first()
    versions = []
    if report is not None:
        shown = readable_versions(request.user, report.versions.all())
        versions = list(shown.prefetch_related("files").order_by("-number"))
    if not versions and not officer:
        latest = report.versions.order_by("-number").first() if report else None
        if latest is not None:  # published, but only as Part II, which this visitor may not read
            if not signed_in(request.user):
                return redirect_to_login(request.get_full_path())
            check_may_read_version(request.user, latest)
        raise Http404("No published report for this committee and period.")
    if officer:
        fail_interrupted_builds()  # so none shows "Building" for ever
    builds = (
        ReportBuild.objects.filter(committee=committee, period=period)[:5]
        if officer
        else ReportBuild.objects.none()
    )
    return render(
        request,
        "reports/detail.html",
        {
            "committee": committee,
            "period": period,
            "report": report,
            "versions": versions,
            "officer": officer,
            "formats": FORMATS,
            "builds": builds,
        },
    )


def version_file(request: HttpRequest, slug: str, period: Period, number: int, fmt: str) -> HttpResponse:
    """A published file, byte for byte as published: anyone may read it, unless the version
    is exempt (Part II): then anonymous visitors are asked to sign in, and anyone signed in
    who is neither on the committee nor an officer is refused (403, saying why)."""
    version = get_object_or_404(
        ReportVersion.objects.select_related("report__committee"),
        report__committee__slug=slug,
        report__period=period,
        number=number,
    )
    if not may_read_version(request.user, version):
        if not signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        check_may_read_version(request.user, version)
    stored = get_object_or_404(ReportFile, version=version, format=fmt)
    response = _file_response(bytes(stored.content), fmt, stored.filename, inline=fmt == "html")
    if version.exempt:  # never kept by a shared cache, nor indexed
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@officer_required
def draft_preview(request: HttpRequest, slug: str, period: Period) -> HttpResponse:
    committee = get_object_or_404(Committee, slug=slug)
    return HttpResponse(render_document(build_document(draft_report(committee, period)), "html"))


@require_POST
@officer_required
def build_create(request: HttpRequest, slug: str, period: Period) -> HttpResponse:
    committee = get_object_or_404(Committee, slug=slug)
    formats = [f for f in request.POST.getlist("format") if f in FORMATS] or list(FORMATS)
    build = ReportBuild.objects.create(
        committee=committee, period=period, formats=formats, requested_by=request.user
    )
    queue_build(build)
    return redirect("reports:build", build_id=build.pk)


@officer_required
def build_detail(request: HttpRequest, build_id: int) -> HttpResponse:
    """The build's progress; a build its process left unfinished shows as failed, with
    a button to build the same formats again."""
    fail_interrupted_builds()
    build = get_object_or_404(ReportBuild.objects.select_related("committee"), pk=build_id)
    running = build.state in (BuildState.QUEUED, BuildState.RUNNING)
    return render(
        request,
        "reports/build.html",
        {"build": build, "running": running, "files": build.files.all(), "formats": FORMATS},
    )


@officer_required
def build_file(request: HttpRequest, build_id: int, fmt: str) -> HttpResponse:
    built = get_object_or_404(BuiltFile, build_id=build_id, format=fmt)
    return _file_response(bytes(built.content), fmt, built.filename, inline=fmt == "html")


def _file_response(content: bytes, fmt: str, filename: str, *, inline: bool) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Unknown format.")
    response = HttpResponse(content, content_type=FORMATS[fmt].media_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@officer_required
def edit_report(request: HttpRequest, slug: str, period: Period) -> HttpResponse:
    """Create or edit the committee's report for the period (drafts only; published versions are frozen).

    The form carries the version it showed. If someone else saved (or published) since,
    nothing is saved: the page comes back with what the officer typed still in the boxes,
    the other officer's text under each box where it differs, and the version they saw
    now, so saving again replaces theirs knowingly, never silently.
    """
    from scrutineer.performance import build_table
    from scrutineer.reports.builder import drafted_summary
    from scrutineer.reports.editing import save_report
    from scrutineer.reports.forms import TEXT_OVERRIDES, ReportForm
    from scrutineer.reports.layout import layout_of

    committee = get_object_or_404(Committee, slug=slug)
    stored = Report.objects.filter(committee=committee, period=period).first()
    version = stored.version if stored else None  # the version this page shows
    theirs: Report | None = None  # the report as stored, shown beside what was typed after a refusal
    defaults = {name: _default_text(committee, name) for name in TEXT_OVERRIDES}
    instance = stored or Report(committee=committee, period=period)
    form = ReportForm(request.POST or None, instance=instance, defaults=defaults)
    if request.method == "POST":
        posted = request.POST.get("version")
        expected = as_version(posted) if posted else None
        if posted is None or (posted and (expected is None or expected < 1)):
            form.add_error(
                None,
                "This form did not say which version of the report you opened, so Scrutineer cannot tell "
                "whether someone else has saved since; nothing was saved.",
            )
            # The form has been cleaned into `stored` by now: read the stored report afresh.
            theirs = Report.objects.filter(committee=committee, period=period).first()
            version = theirs.version if theirs else None
        elif form.is_valid():
            changes = {name: form.cleaned_data[name] for name in ReportForm.Meta.fields}
            try:
                save_report(committee, period, changes, user=request.user, expected_version=expected)
            except StaleEdit as exc:
                form.add_error(None, exc.message)
                theirs = Report.objects.filter(committee=committee, period=period).first()
                version = theirs.version if theirs else None
            else:
                messages.success(request, f"The {period.label} report is saved as a draft.")
                return redirect("reports:detail", slug=slug, period=period)
        else:
            version = expected  # what the officer opened: a refused save never moves it on
    table = build_table(committee, period)
    drafted = "\n\n".join(drafted_summary(table, layout_of(committee)))
    fields = [(field, _their_text(theirs, form, field.name)) for field in form]
    return render(
        request,
        "reports/edit.html",
        {
            "form": form,
            "fields": fields,
            "theirs": theirs,
            "differs": [field for field, text in fields if text is not None],
            "version": version,
            "committee": committee,
            "period": period,
            "drafted": drafted,
        },
        status=400 if form.errors else 200,
    )


def _their_text(theirs: Report | None, form: Any, name: str) -> str | None:
    """The stored text of field `name`, as people read it, when it differs from what was typed."""
    if theirs is None:
        return None
    stored = getattr(theirs, name)
    cleaned = getattr(form, "cleaned_data", {})
    if name in cleaned and cleaned[name] == stored:
        return None
    if name not in cleaned and stored in (None, ""):
        return None  # a box that did not validate, beside nothing stored
    if stored is None:
        chosen = name in ("table_as_appendix", "achievements_as_sections")
        return "Empty: the committee's choice." if chosen else "Empty: the committee's default."
    if isinstance(stored, bool):
        return "Yes" if stored else "No"
    if name == "meeting_date":
        return date_format(stored, "j F Y")
    if name == "part":
        return theirs.get_part_display() or "Not stated."
    return str(stored) or "Left blank."


def _default_text(committee: Committee, name: str) -> str:
    if name == "contact":
        return committee.portfolio.contact_line if committee.portfolio else ""
    if name == "corporate_objectives":
        return "; ".join(str(o) for o in committee.corporate_objectives.all())
    return str(getattr(committee, name, "") or "")


@require_POST
@officer_required
def publish(request: HttpRequest, slug: str, period: Period) -> HttpResponse:
    """Mark the report reviewed at the version the officer looked at, and publish it, in
    one transaction: either both happen or neither (the same actions as `scrutineer publish`)."""
    from scrutineer.reports.publishing import NothingToPublish, NotReviewed, mark_reviewed, publish_report

    report = get_object_or_404(Report, committee__slug=slug, period=period)
    if request.POST.get("reviewed") != "yes":
        messages.error(request, "Confirm that you have reviewed the report before publishing it.")
        return redirect("reports:detail", slug=slug, period=period)
    expected = as_version(request.POST.get("version"))
    if expected is None or expected < 1:
        messages.error(
            request,
            "The page did not say which version of the report you reviewed, so nothing was published. "
            "Look at the draft again, then publish.",
        )
        return redirect("reports:detail", slug=slug, period=period)
    try:
        with transaction.atomic():
            reviewed = mark_reviewed(report, user=request.user, expected_version=expected)
            version = publish_report(
                reviewed,
                user=request.user,
                note=request.POST.get("note", ""),
                expected_version=reviewed.version,
            )
    except (NothingToPublish, NotReviewed, StaleEdit) as exc:
        messages.error(request, str(exc))
    else:
        exempt = ""
        if version.exempt:
            exempt = " as Part II (exempt): only the committee's members and officers can read it"
        messages.success(request, f"Published version {version.number}{exempt}.")
    return redirect("reports:detail", slug=slug, period=period)


@officer_required
@require_POST
def layout_preview(request: HttpRequest) -> HttpResponse:
    """The committee's report as the layout on its page (posted, not saved) would print it,
    for the latest quarter with approved figures (`reports.preview`). `?committee=` names
    the committee being changed; without it, the committee being added. Nothing is written:
    a form with errors comes back as the committee's page with them."""
    from scrutineer.catalogue.forms import CommitteeForm
    from scrutineer.reports.preview import layout_preview as preview

    slug = request.GET.get("committee", "")
    committee = get_object_or_404(Committee, slug=slug) if slug else None
    working = Committee.objects.get(pk=committee.pk) if committee else None
    form = CommitteeForm(request.POST, instance=working)
    if not form.is_valid():
        return render(
            request,
            "catalogue/committee_form.html",
            {"form": form, "errors": form.error_summary, "committee": committee, "audit": []},
            status=400,
        )
    doc = preview(
        form.instance,
        services=form.cleaned_data["services"],
        indicators=form.cleaned_data["indicators"],
        objectives=form.cleaned_data["corporate_objectives"],
    )
    response = HttpResponse(render_document(doc, "html"))
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, no_store=True)
    return response
