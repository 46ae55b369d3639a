"""The import and export pages (performance officers), and open data (anyone).

Import is three steps: upload (the file is kept and checked in the background, with
progress), preview (every problem by sheet, row and column, or every change: new,
changed before → after, unchanged), confirm (checked again and written in one
transaction, in the background). Export and the template are downloads. An LG Inform
comparison (`exchange.benchmarks`) is small: checked and imported, or only checked, on upload.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from scrutineer.catalogue.access import officer_required
from scrutineer.catalogue.models import Committee, Indicator, ServiceTeam, Theme
from scrutineer.engine import Period
from scrutineer.exchange import benchmarks, importing, opendata
from scrutineer.exchange.cells import CellError, read_period
from scrutineer.exchange.export import Selection, export_tables, template_tables
from scrutineer.exchange.files import FORMATS, csv_files, json_bytes, max_bytes, xlsx_bytes, zip_of
from scrutineer.exchange.layout import SHEETS
from scrutineer.exchange.models import UNFINISHED, ImportRun, ImportState
from scrutineer.forms import GovukForm

MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
}


class UploadForm(GovukForm, forms.Form):
    file = forms.FileField(
        label="Workbook",
        help_text="An .xlsx workbook, a .csv file named after its sheet (values.csv), a .zip of CSV files, "
        "or a .json export.",
    )
    approved = forms.BooleanField(
        required=False,
        label="Figures marked approved are our approved history: import them approved",
        help_text="They are recorded as approved by you, imported as history. Otherwise they arrive "
        "submitted, for their approvers.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                f"The file is larger than {max_bytes() // (1024 * 1024)} MB: split it (the values sheet "
                "by year, say) and import each part."
            )
        return upload


class BenchmarkForm(GovukForm, forms.Form):
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.order_by("code"),
        to_field_name="code",
        label="Our indicator",
        help_text="The indicator the LG Inform metric measures.",
    )
    area = forms.CharField(
        max_length=100,
        label="The council's area code",
        help_text="Its ONS code as in the file's area column, for example E07000096.",
    )
    file = forms.FileField(
        label="LG Inform comparison (CSV)",
        help_text="In LG Inform, show the metric for your comparison group (such as CIPFA nearest "
        "neighbours) as a table of areas by period, and download it as CSV.",
    )
    dry_run = forms.BooleanField(
        required=False,
        label="Check only: show where the council would sit, and import nothing",
    )
    widths = {"area": "govuk-input--width-20"}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                f"The file is larger than {max_bytes() // (1024 * 1024)} MB; an LG Inform comparison is small."
            )
        return upload


def _download(content: bytes, filename: str, kind: str) -> HttpResponse:
    response = HttpResponse(content, content_type=MEDIA[kind])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _file_of(tables: Any, fmt: str, stem: str) -> HttpResponse:
    if fmt == "xlsx":
        return _download(xlsx_bytes(tables), f"{stem}.xlsx", "xlsx")
    if fmt == "json":
        return _download(json_bytes(tables), f"{stem}.json", "json")
    if fmt == "csv":
        return _download(zip_of(csv_files(tables)), f"{stem}-csv.zip", "zip")
    raise Http404("Unknown format.")


@officer_required
def index(request: HttpRequest) -> HttpResponse:
    """Upload a workbook, download the template or an export, and the imports so far."""
    form = UploadForm()
    return _index(request, form)


def _index(request: HttpRequest, form: UploadForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "exchange/index.html",
        {
            "form": form,
            "errors": form.error_summary if form.is_bound else {},
            "runs": ImportRun.objects.select_related("requested_by")[:20],
            "committees": Committee.objects.order_by("name"),
            "formats": FORMATS,
            "sheets": SHEETS,
        },
        status=status,
    )


@officer_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, form, status=400)
    upload = form.cleaned_data["file"]
    run = importing.start(
        upload.name, upload.read(), user=request.user, approved=form.cleaned_data["approved"]
    )
    importing.queue(run, "check")
    return redirect("exchange:run", run_id=run.pk)


@officer_required
def benchmark_upload(request: HttpRequest) -> HttpResponse:
    """Import an LG Inform comparison as one indicator's benchmarks (checked whole first)."""
    if request.method == "POST":
        form = BenchmarkForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            run, _ = benchmarks.run_benchmark_import(
                upload.name,
                upload.read(),
                indicator=form.cleaned_data["indicator"],
                area=form.cleaned_data["area"],
                user=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
            return redirect("exchange:run", run_id=run.pk)
        status = 400
    else:
        form = BenchmarkForm(initial={"area": benchmarks.default_area()})
        status = 200
    return render(
        request,
        "exchange/benchmarks.html",
        {
            "form": form,
            "errors": form.error_summary if form.is_bound else {},
            "runs": ImportRun.objects.filter(source=benchmarks.SOURCE).select_related("requested_by")[:20],
        },
        status=status,
    )


@officer_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """The run's progress; then its problems (by sheet, row and column) or its preview."""
    run = get_object_or_404(ImportRun.objects.select_related("requested_by"), pk=run_id)
    result = run.result or {}
    problems: dict[str, list[dict[str, Any]]] = {}
    for problem in result.get("problems", []):
        problems.setdefault(problem["sheet"] or "The file", []).append(problem)
    return render(
        request,
        "exchange/run.html",
        {
            "run": run,
            "running": run.state in UNFINISHED,
            "problems": problems,
            "problem_count": len(result.get("problems", [])),
            "summary": result.get("summary", []),
            "changes": result.get("changes", []),
            "written": result.get("written", {}),
            "may_confirm": run.state == ImportState.CHECKED and not run.dry_run,
            "benchmark": run.source == benchmarks.SOURCE,
            "notes": result.get("notes", []),
            "positions": result.get("positions", []),
            "indicator_code": result.get("indicator", ""),
        },
    )


@officer_required
@require_POST
def confirm(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=run_id)
    if run.state != ImportState.CHECKED or run.source == benchmarks.SOURCE:
        # A benchmark file is imported as it is checked (or only checked): never confirmed here.
        return redirect("exchange:run", run_id=run.pk)
    ImportRun.objects.filter(pk=run.pk, state=ImportState.CHECKED).update(
        state=ImportState.IMPORTING, progress=0
    )
    run.refresh_from_db()
    importing.queue(run, "import")
    return redirect("exchange:run", run_id=run.pk)


@officer_required
def template(request: HttpRequest, fmt: str) -> HttpResponse:
    return _file_of(template_tables(), fmt, "scrutineer-template")


@officer_required
def export(request: HttpRequest) -> HttpResponse:
    """The workbook for a committee, service or theme and a range of periods (query string)."""
    query = request.GET

    def one(model: Any, **lookup: Any) -> Any:
        value = next(iter(lookup.values()))
        if not value:
            return None
        try:
            return model.objects.get(**lookup)
        except (model.DoesNotExist, ValueError):
            raise Http404("Nothing to export by that name.") from None

    def period(name: str) -> Period | None:
        text = query.get(name, "").strip()
        if not text:
            return None
        try:
            return read_period(text)
        except CellError:
            raise Http404("That is not a period.") from None

    selection = Selection(
        committee=one(Committee, slug=query.get("committee", "")),
        service=one(ServiceTeam, slug=query.get("service", "")),
        theme=one(Theme, pk=query.get("theme", "")),
        first=period("from"),
        last=period("to"),
    )
    return _file_of(export_tables(selection, user=request.user), query.get("format", "xlsx"), selection.stem)


# Open data: no sign-in


def open_data_index(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/open_data.html", {"published": opendata.published_periods()})


def open_data_file(request: HttpRequest, slug: str, period: Period, fmt: str) -> HttpResponse:
    found = opendata.published(slug, period)
    if found is None:
        raise Http404("Nothing has been published for that committee and period.")
    stem = f"{slug}-{period.key}"
    if fmt == "csv":
        return _download(opendata.as_csv(found), f"{stem}.csv", "csv")
    if fmt == "json":
        return _download(opendata.as_json(found), f"{stem}.json", "json")
    if fmt == "metadata.json":
        return _download(
            opendata.metadata(found, request.build_absolute_uri(reverse("exchange:open-data"))),
            f"{stem}-metadata.json",
            "json",
        )
    raise Http404("Unknown format.")
