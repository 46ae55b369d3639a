"""Performance officers' pages for the catalogue: indicators (with their tolerances),
targets, priorities, themes, committees and status rules, and the change history of the
organisation, committees and roles, at `/manage/…`.

Every view is for performance officers only, checked here on the server; changes go
through `catalogue.actions`. A refused save shows the form again with what was typed.
The status rule pages preview a rule's effect on figures already judged through
`performance`, the one read path, as the top of this app (the import-linter contract
allows these pages, and nothing else in the catalogue, to read it).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from scrutineer.catalogue import actions
from scrutineer.catalogue.access import officer_required
from scrutineer.catalogue.audit import AuditEntry, audit_csv, committee_trail, organisation_trail
from scrutineer.catalogue.forms import (
    ApplyStatusRuleForm,
    CommitteeForm,
    IndicatorForm,
    PriorityForm,
    RemoveTargetForm,
    ScopeForm,
    StatusRuleForm,
    TargetForm,
    ThemeForm,
    status_rule_initial,
)
from scrutineer.catalogue.models import (
    Committee,
    Indicator,
    Priority,
    ServiceTeam,
    StatusRuleDefinition,
    Target,
    Theme,
    site_default_tolerance,
    site_rule,
)
from scrutineer.catalogue.rollforward import plan_roll_forward
from scrutineer.catalogue.status_rules import RuleScope, indicators_judged_by
from scrutineer.changes import Rejected, StaleEdit, as_version
from scrutineer.engine import DEFAULT_RULE, Frequency, Period, PeriodKeyError, StatusRule, StatusRuleError
from scrutineer.performance import preview_rule, status_key

INDICATORS_PER_PAGE = 50
AUDIT_SHOWN = 100
"""Changes a page lists, newest first; its CSV has them all."""


def _render_form(
    request: HttpRequest, template: str, form: Any, status: int = 200, **context: Any
) -> HttpResponse:
    return render(request, template, {"form": form, "errors": form.error_summary, **context}, status=status)


def _trail(indicator: Indicator | None = None) -> list[tuple[str, str]]:
    trail = [(reverse("manage:indicators"), "Indicators")]
    if indicator is not None:
        trail.append((reverse("manage:indicator-edit", args=[indicator.code]), indicator.code))
    return trail


def _themes_trail() -> list[tuple[str, str]]:
    return [(reverse("manage:themes"), "Priorities and themes")]


def _committees_trail() -> list[tuple[str, str]]:
    return [(reverse("manage:committees"), "Committees")]


@officer_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/index.html",
        {
            "indicators": Indicator.objects.filter(active=True).count(),
            "retired": Indicator.objects.filter(active=False).count(),
            "themes": Theme.objects.count(),
            "priorities": Priority.objects.count(),
            "committees": Committee.objects.count(),
            "site_default": site_default_tolerance(),
            "status_rules": StatusRuleDefinition.objects.count(),
            "site_rule": site_rule(),
            "default_rule": DEFAULT_RULE,
        },
    )


# Indicators


@officer_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    service = request.GET.get("service", "")
    theme = request.GET.get("theme", "")
    state = request.GET.get("state", "active")
    found = Indicator.objects.select_related("service", "theme__priority", "owner").annotate(
        target_count=Count("targets")
    )
    if query:
        found = found.filter(Q(code__icontains=query) | Q(name__icontains=query))
    if service:
        found = found.filter(service__slug=service)
    if theme.isdigit():
        found = found.filter(theme_id=int(theme))
    if state in ("active", "retired"):
        found = found.filter(active=state == "active")
    page = Paginator(found.order_by("code"), INDICATORS_PER_PAGE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "catalogue/indicator_list.html",
        {
            "page": page,
            "query": query,
            "service": service,
            "theme": theme,
            "state": state,
            "services": ServiceTeam.objects.all(),
            "themes": Theme.objects.select_related("priority"),
            "kept": kept.urlencode(),
            "site_default": site_default_tolerance(),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    indicator = get_object_or_404(Indicator, code=code) if code is not None else None
    kwargs: dict[str, Any] = {"site_default": site_default_tolerance()}
    if request.method != "POST":
        initial = {"version": indicator.version} if indicator else {}
        form = IndicatorForm(instance=indicator, initial=initial, **kwargs)
        return _render_form(
            request, "catalogue/indicator_form.html", form, indicator=indicator, trail=_trail()
        )
    # The form works on a copy, so a refused save never touches the stored row.
    working = Indicator.objects.get(pk=indicator.pk) if indicator else None
    form = IndicatorForm(request.POST, instance=working, **kwargs)
    if form.is_valid():
        try:
            saved = actions.save_indicator(
                indicator,
                form.changes(),
                user=request.user,
                reason=form.cleaned_data.get("reason", ""),
                expected_version=form.expected_version(),
            )
        except actions.Unchanged as exc:
            messages.info(request, exc.message)
            return redirect("manage:indicator-edit", code=indicator.code if indicator else "")
        except (Rejected, StaleEdit) as exc:
            exc.put_on(form)
        else:
            verb = "created" if indicator is None else "saved"
            messages.success(request, f"{saved.code} – {saved.name} is {verb}.")
            return redirect("manage:indicator-edit", code=saved.code)
    return _render_form(
        request, "catalogue/indicator_form.html", form, status=400, indicator=indicator, trail=_trail()
    )


# Targets


def _targets_context(indicator: Indicator) -> dict[str, Any]:
    targets = sorted(indicator.targets.all(), key=lambda t: (t.period.start, -t.period.frequency.months))
    return {"indicator": indicator, "targets": targets}


@officer_required
@require_http_methods(["GET", "POST"])
def target_list(request: HttpRequest, code: str) -> HttpResponse:
    """The indicator's targets, and a form to add one."""
    indicator = get_object_or_404(Indicator.objects.select_related("service", "theme"), code=code)
    form = TargetForm(request.POST or None, unit=indicator.unit)
    if request.method == "POST" and form.is_valid():
        try:
            target = actions.save_target(
                indicator,
                form.cleaned_data["period"],
                form.cleaned_data["value"],
                form.cleaned_data["note"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except (Rejected, StaleEdit) as exc:
            exc.put_on(form)
        else:
            messages.success(request, f"Target for {target.period.label} is set.")
            return redirect("manage:targets", code=indicator.code)
    status = 400 if form.is_bound else 200
    return _render_form(
        request,
        "catalogue/targets.html",
        form,
        status=status,
        trail=_trail(indicator),
        **_targets_context(indicator),
    )


@officer_required
@require_http_methods(["GET", "POST"])
def roll_forward(request: HttpRequest) -> HttpResponse:
    """Targets for a new financial year: choose the years, review every change the roll would
    make (new targets, and changes to targets already set, from → to), keep those wanted,
    and save them with one reason. Unchanged targets are listed and left alone."""
    today = timezone.localdate()
    latest = Period.containing(today, Frequency.ANNUAL)
    source = request.POST if request.method == "POST" else request.GET
    errors: dict[str, list[str]] = {}
    years: list[Period] = []
    for name, default in (("from", latest.previous()), ("to", latest)):
        raw = source.get(name, "")
        try:
            years.append(Period.parse(raw, Frequency.ANNUAL) if raw else default)
        except PeriodKeyError:
            errors[f"id_{name}"] = [f"Give a financial year such as {default.key}, not “{raw[:20]}”."]
            years.append(default)
    from_year, to_year = years
    plan = plan_roll_forward(from_year, to_year) if not errors else []
    reason = source.get("reason", "")
    if request.method == "POST" and not errors:
        chosen = {}
        for key in request.POST.getlist("row"):
            row_key, _, version = key.rpartition("@")
            chosen[row_key] = as_version(version) if version != "new" else None
        try:
            count = actions.roll_targets_forward(
                from_year, to_year, user=request.user, reason=reason, chosen=chosen
            )
        except Rejected as exc:
            for field, found in exc.errors.items():
                errors.setdefault("id_reason" if field == "reason" else "__all__", []).extend(found)
        except StaleEdit as exc:
            errors["__all__"] = [exc.message]
        else:
            messages.success(
                request,
                f"{count} target{'s' if count != 1 else ''} for {to_year.label} set from {from_year.label}'s.",
            )
            return redirect(f"{reverse('manage:targets-roll-forward')}?from={from_year.key}&to={to_year.key}")
    return render(
        request,
        "catalogue/roll_forward.html",
        {
            "from_year": from_year,
            "to_year": to_year,
            "plan": plan,
            "changing": [row for row in plan if row.kind != "unchanged"],
            "reason": reason,
            "errors": errors,
            "trail": [(reverse("manage:indicators"), "Indicators")],
        },
        status=400 if errors else 200,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, code: str, period: Period) -> HttpResponse:
    indicator = get_object_or_404(Indicator, code=code)
    target = get_object_or_404(Target, indicator=indicator, period=period)
    removing = request.method == "POST" and request.POST.get("action") == "remove"
    form = TargetForm(
        request.POST if request.method == "POST" and not removing else None,
        changing=True,
        unit=indicator.unit,
        initial={"value": target.value, "note": target.note, "version": target.version},
    )
    remove = RemoveTargetForm(
        request.POST if removing else None,
        prefix="remove",
        initial={"version": target.version},
    )
    if request.method == "POST" and remove.is_bound and remove.is_valid():
        try:
            actions.remove_target(
                target,
                user=request.user,
                reason=remove.cleaned_data["reason"],
                expected_version=remove.expected_version(),
            )
        except (Rejected, StaleEdit) as exc:
            exc.put_on(remove)
        else:
            messages.success(request, f"The target for {period.label} is removed.")
            return redirect("manage:targets", code=indicator.code)
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            actions.save_target(
                indicator,
                period,
                form.cleaned_data["value"],
                form.cleaned_data["note"],
                user=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.expected_version(),
            )
        except actions.Unchanged as exc:
            messages.info(request, exc.message)
            return redirect("manage:targets", code=indicator.code)
        except (Rejected, StaleEdit) as exc:
            exc.put_on(form)
        else:
            messages.success(request, f"The target for {period.label} is saved.")
            return redirect("manage:targets", code=indicator.code)
    errors = {**form.error_summary, **remove.error_summary}
    return render(
        request,
        "catalogue/target_form.html",
        {
            "indicator": indicator,
            "target": target,
            "form": form,
            "remove": remove,
            "errors": errors,
            "trail": [*_trail(indicator), (reverse("manage:targets", args=[indicator.code]), "Targets")],
        },
        status=400 if errors else 200,
    )


# Priorities and themes


@officer_required
def theme_list(request: HttpRequest) -> HttpResponse:
    themes = Theme.objects.annotate(indicator_count=Count("indicators")).order_by("position", "name")
    priorities = Priority.objects.select_related("objective").prefetch_related(
        Prefetch("themes", queryset=themes)
    )
    return render(request, "catalogue/themes.html", {"priorities": priorities})


def _simple_edit(
    request: HttpRequest,
    model: type[Any],
    form_class: type[Any],
    save: Any,
    pk: int | None,
    noun: str,
    back: str,
) -> HttpResponse:
    obj = get_object_or_404(model, pk=pk) if pk is not None else None
    if request.method != "POST":
        form = form_class(instance=obj, initial={"version": obj.version} if obj else {})
        return _render_form(
            request, "catalogue/simple_form.html", form, obj=obj, noun=noun, back=back, trail=_themes_trail()
        )
    if obj is not None and request.POST.get("action") == "remove":
        try:
            actions.remove_theme_or_priority(
                obj, user=request.user, expected_version=as_version(request.POST.get("version"))
            )
        except (Rejected, StaleEdit) as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.path)
        messages.success(request, f"The {noun} {obj.name} is removed.")
        return HttpResponseRedirect(reverse(back))
    working = model.objects.get(pk=obj.pk) if obj else None
    form = form_class(request.POST, instance=working)
    if form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form._meta.fields}
        try:
            saved = save(obj, changes, user=request.user, expected_version=form.expected_version())
        except actions.Unchanged as exc:
            messages.info(request, exc.message)
            return HttpResponseRedirect(reverse(back))
        except (Rejected, StaleEdit) as exc:
            exc.put_on(form)
        else:
            messages.success(request, f"The {noun} {saved.name} is saved.")
            return HttpResponseRedirect(reverse(back))
    return _render_form(
        request,
        "catalogue/simple_form.html",
        form,
        status=400,
        obj=obj,
        noun=noun,
        back=back,
        trail=_themes_trail(),
    )


@officer_required
@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _simple_edit(request, Theme, ThemeForm, actions.save_theme, pk, "theme", "manage:themes")


@officer_required
@require_http_methods(["GET", "POST"])
def priority_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _simple_edit(
        request, Priority, PriorityForm, actions.save_priority, pk, "priority", "manage:themes"
    )


# Committees


@officer_required
def committee_list(request: HttpRequest) -> HttpResponse:
    committees = Committee.objects.select_related("portfolio__holder").annotate(
        indicator_count=Count("indicators", distinct=True),
        member_count=Count("members", distinct=True),
        service_count=Count("services", distinct=True),
    )
    return render(request, "catalogue/committees.html", {"committees": committees})


@officer_required
@require_http_methods(["GET", "POST"])
def committee_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    committee = get_object_or_404(Committee, slug=slug) if slug is not None else None
    if request.method != "POST":
        form = CommitteeForm(instance=committee, initial={"version": committee.version} if committee else {})
        return _render_form(
            request,
            "catalogue/committee_form.html",
            form,
            committee=committee,
            trail=_committees_trail(),
            audit=committee_trail(committee)[:AUDIT_SHOWN] if committee else [],
            shown=AUDIT_SHOWN,
        )
    working = Committee.objects.get(pk=committee.pk) if committee else None
    form = CommitteeForm(request.POST, instance=working)
    if form.is_valid():
        try:
            saved = actions.save_committee(
                committee,
                form.changes(),
                form.many_changes(),
                user=request.user,
                expected_version=form.expected_version(),
            )
        except actions.Unchanged as exc:
            messages.info(request, exc.message)
            return redirect("manage:committees")
        except (Rejected, StaleEdit) as exc:
            exc.put_on(form)
        else:
            messages.success(request, f"{saved.name} is saved.")
            return redirect("manage:committees")
    return _render_form(
        request,
        "catalogue/committee_form.html",
        form,
        status=400,
        committee=committee,
        trail=_committees_trail(),
        audit=committee_trail(committee)[:AUDIT_SHOWN] if committee else [],
        shown=AUDIT_SHOWN,
    )


@officer_required
def committee_history_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Every change to the committee (members, services, indicators, cover-sheet defaults) as CSV."""
    committee = get_object_or_404(Committee, slug=slug)
    return _audit_download(committee_trail(committee), f"{committee.slug}-change-history.csv")


# Status rules


def _rules_trail() -> list[tuple[str, str]]:
    return [(reverse("manage:status-rules"), "Status rules")]


@officer_required
def status_rule_list(request: HttpRequest) -> HttpResponse:
    """The rules, where each applies, and which theme and indicator sets its own."""
    rules = StatusRuleDefinition.objects.annotate(
        indicator_count=Count("indicators", distinct=True)
    ).prefetch_related(Prefetch("themes", queryset=Theme.objects.select_related("priority")))
    return render(
        request,
        "catalogue/status_rules.html",
        {
            "rules": rules,
            "site": site_rule(),
            "default_rule": DEFAULT_RULE,
            "themes": Theme.objects.filter(status_rule__isnull=False).select_related(
                "priority", "status_rule"
            ),
            "indicators": Indicator.objects.filter(status_rule__isnull=False)
            .select_related("status_rule")
            .order_by("code"),
            "trail": [],
        },
    )


def _refused_rule(form: StatusRuleForm, exc: Rejected | StaleEdit) -> None:
    """An action's refusal on the rule form: the engine's, beside the field it names."""
    if isinstance(exc, Rejected) and set(exc.errors) == {"definition"}:
        for message in exc.errors["definition"]:
            form.add_error(form.field_for(message), message)
        return
    exc.put_on(form)


@officer_required
@require_http_methods(["GET", "POST"])
def status_rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Write a rule field by field (or paste it as JSON), preview what it would make of
    last quarter's figures, and save it. Changing a rule asks for a reason."""
    definition = get_object_or_404(StatusRuleDefinition, pk=pk) if pk is not None else None
    changing = definition is not None
    context: dict[str, Any] = {"definition": definition, "trail": _rules_trail(), "preview": None}
    if definition is not None:
        judged = indicators_judged_by(definition)
        context["judges"] = judged.exists()
    if request.method != "POST":
        initial = status_rule_initial(definition.rule) if definition else {}
        if definition is not None:
            initial["version"] = definition.version
        form = StatusRuleForm(initial=initial, changing=changing)
        return _render_form(request, "catalogue/status_rule_form.html", form, **context)
    action = request.POST.get("action", "save")
    if definition is not None and action == "remove":
        try:
            actions.remove_status_rule(
                definition, user=request.user, expected_version=as_version(request.POST.get("version"))
            )
        except (Rejected, StaleEdit) as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.path)
        messages.success(request, f"The status rule {definition.name} is removed.")
        return redirect("manage:status-rules")
    form = StatusRuleForm(request.POST, changing=changing)
    status = 400
    if form.is_valid() and action == "preview":
        try:
            rule = StatusRule.from_json(form.rule_text())
        except StatusRuleError as error:
            message = actions.sentence(str(error))
            form.add_error(form.field_for(message), message)
        else:
            in_use = definition is not None and context["judges"]
            indicators = indicators_judged_by(definition) if in_use else RuleScope.site().indicators()
            context["preview"] = preview_rule(rule, indicators)
            context["preview_of"] = (
                "the indicators it judges now" if in_use else "every indicator, as the site's rule"
            )
            context["keys"] = (status_key(rule),)
            context["tolerance"] = site_default_tolerance()
            status = 200
    elif form.is_valid():
        try:
            saved = actions.save_status_rule(
                definition,
                form.rule_text(),
                user=request.user,
                reason=form.cleaned_data.get("reason", ""),
                expected_version=form.expected_version(),
            )
        except actions.Unchanged as exc:
            messages.info(request, exc.message)
            return redirect("manage:status-rules")
        except (Rejected, StaleEdit) as exc:
            _refused_rule(form, exc)
        else:
            if definition is not None:
                messages.success(request, f"The status rule {saved.name} is saved.")
                return redirect("manage:status-rules")
            messages.success(request, f"The status rule {saved.name} is saved. Now choose where it applies.")
            return redirect("manage:status-rule-apply", pk=saved.pk)
    return _render_form(request, "catalogue/status_rule_form.html", form, status=status, **context)


@officer_required
@require_http_methods(["GET", "POST"])
def status_rule_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply a rule to the site, a theme or an indicator: choose, preview, give a reason."""
    return _apply(request, get_object_or_404(StatusRuleDefinition, pk=pk))


@officer_required
@require_http_methods(["GET", "POST"])
def status_rule_clear(request: HttpRequest) -> HttpResponse:
    """Let a theme or an indicator (or the site) go back to the rule above it."""
    return _apply(request, None)


def _apply(request: HttpRequest, definition: StatusRuleDefinition | None) -> HttpResponse:
    key = (request.POST if request.method == "POST" else request.GET).get("to", "")
    scope = RuleScope.parse(key) if key else None
    if key and scope is None:
        raise Http404("There is no such theme or indicator.")
    chooser = ScopeForm(initial={"to": key}, auto_id="choose-%s")
    form = ApplyStatusRuleForm(
        request.POST if request.method == "POST" else None,
        initial={"to": key, "version": scope.version if scope is not None else ""},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if scope is not None and form.is_valid():
            try:
                actions.apply_status_rule(
                    definition,
                    scope,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.expected_version(),
                )
            except actions.Unchanged as exc:
                messages.info(request, exc.message)
                return redirect("manage:status-rules")
            except (Rejected, StaleEdit) as exc:
                exc.put_on(form)
            else:
                words = definition.name if definition is not None else scope.inherited().name
                messages.success(
                    request, f"{scope.label[:1].upper()}{scope.label[1:]} is now judged by {words}."
                )
                return redirect("manage:status-rules")
        elif scope is None:
            form.add_error(None, "Choose where the rule applies.")
    context: dict[str, Any] = {
        "definition": definition,
        "scope": scope,
        "chooser": chooser,
        "trail": _rules_trail(),
    }
    if definition is not None:
        context["keys"] = (status_key(definition.rule),)
        context["tolerance"] = site_default_tolerance()
    if scope is not None:
        current = scope.current()
        rule = definition.rule if definition is not None else scope.inherited()
        context.update(
            current=current,
            inherited=scope.inherited(),
            rule=rule,
            preview=preview_rule(rule, scope.indicators()),
        )
    return _render_form(request, "catalogue/status_rule_apply.html", form, status=status, **context)


# The change history of the organisation, committees and roles


@officer_required
def change_history(request: HttpRequest) -> HttpResponse:
    """Who changed committees, priorities, themes, the organisation, people and users' roles."""
    return render(
        request,
        "catalogue/history.html",
        {"audit": organisation_trail()[:AUDIT_SHOWN], "shown": AUDIT_SHOWN, "trail": []},
    )


@officer_required
def change_history_csv(request: HttpRequest) -> HttpResponse:
    return _audit_download(organisation_trail(), "organisation-change-history.csv")


def _audit_download(entries: list[AuditEntry], filename: str) -> HttpResponse:
    response = HttpResponse(audit_csv(entries).encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@officer_required
def committee_periods(request: HttpRequest, slug: str) -> HttpResponse:
    """The periods each of a committee's indicators is reported to it in (docs/measures.md)."""
    committee = get_object_or_404(Committee, slug=slug)
    indicators = list(committee.indicators.order_by("code"))
    ranges = {r.indicator_id: r for r in committee.indicator_periods.all()}
    typed: dict[str, tuple[str, str]] = {}
    for indicator in indicators:
        row = ranges.get(indicator.pk)
        typed[indicator.code] = (
            row.reported_from.key if row and row.reported_from else "",
            row.reported_until.key if row and row.reported_until else "",
        )
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        typed = {
            i.code: (request.POST.get(f"from-{i.code}", ""), request.POST.get(f"until-{i.code}", ""))
            for i in indicators
        }
        try:
            changed = actions.save_reported_periods(committee, typed, user=request.user)
        except Rejected as exc:
            errors = dict(exc.errors)
        else:
            if changed:
                messages.success(
                    request, f"The periods {committee.name}'s indicators are reported in are saved."
                )
            else:
                messages.info(request, "Nothing was changed, so nothing was saved.")
            return redirect("manage:committee-periods", slug=committee.slug)
    rows = [
        {
            "indicator": indicator,
            "reported_from": typed[indicator.code][0],
            "reported_until": typed[indicator.code][1],
            "from_errors": errors.get(f"from-{indicator.code}", []),
            "until_errors": errors.get(f"until-{indicator.code}", []),
        }
        for indicator in indicators
    ]
    return render(
        request,
        "catalogue/committee_periods.html",
        {
            "committee": committee,
            "rows": rows,
            "errors": errors,
            "trail": [
                *_committees_trail(),
                (reverse("manage:committee-edit", args=[committee.slug]), committee.name),
            ],
        },
        status=400 if errors else 200,
    )
