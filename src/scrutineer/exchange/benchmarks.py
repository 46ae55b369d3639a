"""Benchmarks from LG Inform: where the council sits among its comparators.

LG Inform (the Local Government Association's benchmarking service) downloads a metric
for a comparison group, such as a council's CIPFA nearest neighbours, as a CSV file: a
few lines naming the metric, then a header row `area`, `area label`, `area long label`
and one column per period ("2019/20", "Q1 2020/21", "Jun 2020"), then a row per area.
Cells with no figure hold a marker ("-", "..", "n/a").

- `read_comparison` reads such a file whole and says what is wrong with it, by row and
  column, as the workbook import does; periods are read by the exchange's period reader
  and missing figures are kept as missing, with the marker as a note, never as zero.
- `plan_benchmarks` maps it to one of our indicators and to the council's own area
  (`area`: its ONS code, chosen at import; the default is `SCRUTINEER_BENCHMARK_AREA`,
  else the area marked as the council last time), and says what would change.
- `import_benchmarks` is the action: performance officers only, all or nothing; a file
  replaces the stored comparison for each period it holds.
- `positions` is the read: for each period, the council's figure, its rank among the
  compared areas (1 = best, by the indicator's polarity), its quartile, the median and the
  number of areas; only for indicators the reader may read (`catalogue.access`).

Ranked are the councils in the file (ONS codes starting E06–E10, W06, S12, N09) and
areas of the council's own kind; England, regions and group averages are kept for
reference and never ranked.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from scrutineer.catalogue.access import check_may_manage, visible_indicators
from scrutineer.catalogue.models import Indicator
from scrutineer.engine import FigureError, MeasureKind, Period
from scrutineer.engine.benchmarks import Position, position
from scrutineer.engine.display import format_value
from scrutineer.engine.figures import parse_figure
from scrutineer.engine.status import as_polarity
from scrutineer.exchange.cells import CellError, looks_like_formula, read_period
from scrutineer.exchange.files import FileRefused, Problem, decode, max_bytes
from scrutineer.exchange.importing import checksum
from scrutineer.exchange.models import Benchmark, ImportRun

SHEET = "benchmarks"
"""How problems name the file (the import pages group problems by sheet)."""
SOURCE = "benchmark"
"""An `ImportRun` of a benchmark file, as opposed to a workbook."""

MISSING = {
    "": "no figure",
    "-": "none or not applicable",
    "–": "none or not applicable",
    "..": "not available",
    ":": "not available",
    "x": "not available",
    "n/a": "not applicable",
    "na": "not applicable",
    "#n/a": "not applicable",
    "c": "suppressed",
    "*": "suppressed",
}
"""The markers LG Inform (and the statistics it republishes) put where there is no figure."""

COUNCIL_AREAS = ("E06", "E07", "E08", "E09", "E10", "W06", "S12", "N09")
"""ONS code prefixes of councils: unitary, district, metropolitan, London borough, county;
Welsh, Scottish and Northern Irish councils."""

PLACES = Decimal("0.000001")
"""Figures are kept to six decimal places (the column's), rounded half up."""


# Where the council sits (the rule itself is the engine's: engine/benchmarks.py)


@dataclass(frozen=True, slots=True)
class Shown:
    """A position as a page prints it: figures in the indicator's unit and places."""

    position: Position
    council: str
    median: str

    @property
    def rank(self) -> str:
        p = self.position
        return f"{p.rank} of {p.areas}" if p.rank is not None else p.why_unranked


def shown(indicator: Indicator, found: Iterable[Position]) -> list[Shown]:
    def text(value: Decimal | None) -> str:
        return format_value(
            value,
            indicator.unit,
            indicator.decimal_places,
            kind=MeasureKind(indicator.measure_kind),
            duration_style=indicator.duration_style,
        )

    return [Shown(p, text(p.council), text(p.median)) for p in found]


def compared(code: str, council: str) -> bool:
    """Whether the area `code` is ranked against the council `council`: another council, or
    an area of the council's own kind (the first three characters of its ONS code)."""
    kind = code[:3].upper()
    return kind in COUNCIL_AREAS or kind == council[:3].upper()


# Reading LG Inform's file


@dataclass(frozen=True, slots=True)
class AreaRow:
    row: int
    code: str
    label: str
    figures: tuple[tuple[Decimal | None, str], ...]
    """(figure, why there is none) for each of the file's periods, in order."""


@dataclass(slots=True)
class Comparison:
    """What an LG Inform comparison file holds, and what is wrong with it."""

    source: str = ""
    periods: list[Period] = field(default_factory=list)
    areas: list[AreaRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def problem(self, row: int | None, column: str | None, message: str) -> None:
        if len(self.problems) < 200:
            self.problems.append(Problem(SHEET, row, column, message))


def _name(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").split())


def read_comparison(name: str, data: bytes) -> Comparison:
    """The comparison in an LG Inform CSV download; `FileRefused` if it is not one at all."""
    if len(data) > max_bytes():
        raise FileRefused(f"{name} is larger than the import limit; LG Inform's comparison files are small.")
    if not name.lower().endswith(".csv"):
        raise FileRefused(
            f"{name} is not a CSV file: download the comparison from LG Inform as CSV and import that."
        )
    try:
        reader = csv.reader(io.StringIO(decode(data), newline=""))
        lines = [(reader.line_num, cells) for cells in reader]
    except csv.Error as error:
        raise FileRefused(f"{name} is not valid CSV ({error}); download it from LG Inform again.") from None
    found = Comparison()
    at = next(
        (
            i
            for i, (_, cells) in enumerate(lines)
            if len(cells) >= 2 and _name(cells[0]) == "area" and _name(cells[1]) == "area label"
        ),
        None,
    )
    if at is None:
        raise FileRefused(
            f"{name} has no header row starting area, area label, area long label: it is not a "
            "comparison downloaded from LG Inform (choose the table of areas by period, then CSV)."
        )
    found.source = next((" ".join(c.split()) for _, cells in lines[:at] for c in cells if c.strip()), "")[
        :300
    ]
    number, header = lines[at]
    first = 3 if len(header) > 2 and _name(header[2]) == "area long label" else 2
    # Some downloads repeat the header with identifiers under it ("area", …, "fin_2019_20").
    second = (
        lines[at + 1][1] if at + 1 < len(lines) and _name((lines[at + 1][1] or [""])[0]) == "area" else []
    )
    rows = lines[at + 2 :] if second else lines[at + 1 :]
    columns = _period_columns(found, number, header, second, first)
    seen: dict[str, int] = {}
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        code = cells[0].strip()
        if not any(c.strip() for c in cells[1:]):
            found.notes.append(f"Row {line} is a note, not an area: {code[:120]}")
            continue
        if not code:
            found.problem(line, "area", "the row has figures but no area code; give the area's ONS code.")
            continue
        if len(code) > 100 or not re.fullmatch(r"[A-Za-z0-9_.\-]+", code):
            found.problem(line, "area", f'"{code[:40]}" is not an area code (an ONS code such as E07000096).')
            continue
        if code.upper() in seen:
            found.problem(line, "area", f"{code} is also in row {seen[code.upper()]}: keep one row per area.")
            continue
        seen[code.upper()] = line
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            found.problem(line, None, "the row has cells beyond the last period column; delete them.")
        label = " ".join(cells[1].split())[:200] or code
        figures = tuple(
            _figure(found, line, header[i], cells[i] if i < len(cells) else "") for i, _ in columns
        )
        found.areas.append(AreaRow(line, code, label, figures))
    found.periods = [p for _, p in columns]
    if not found.areas and not found.problems:
        found.problem(None, None, "the file has no areas under its header row.")
    return found


def _period_columns(
    found: Comparison, number: int, header: list[str], second: list[str], first: int
) -> list[tuple[int, Period]]:
    columns: list[tuple[int, Period]] = []
    where: dict[Period, str] = {}
    last = max((i for i, c in enumerate(header) if c.strip()), default=-1)
    for i in range(first, last + 1):
        shown = header[i].strip()
        if not shown:
            found.problem(number, str(i + 1), "a period column has no heading; name its period or delete it.")
            continue
        candidates = [shown] + ([second[i].strip()] if i < len(second) and second[i].strip() else [])
        period = None
        for text in candidates:
            try:
                period = read_period(_label_of(text))
                break
            except CellError:
                continue
        if period is None:
            found.problem(number, shown[:40], _not_a_period(shown))
            continue
        if period in where:
            found.problem(number, shown[:40], f"{period.label} is also the column {where[period]}: keep one.")
            continue
        where[period] = shown
        columns.append((i, period))
    if not columns and not found.problems:
        found.problem(number, None, "the header names no periods after area, area label and area long label.")
    return columns


def _label_of(text: str) -> str:
    """A period heading as the period reader takes it: LG Inform's identifiers for financial
    years ("fin_2019_20", "fin_2019_20_q1") as their labels ("2019/20", "2019/20 Q1")."""
    found = re.fullmatch(r"(?:fin|fy)[_ ]?(\d{4})[_/-](\d{2}|\d{4})(?:[_ ]([qQ][1-4]))?", text.strip())
    if found is None:
        return text
    return f"{found[1]}/{found[2]}" + (f" {found[3].upper()}" if found[3] else "")


def _not_a_period(text: str) -> str:
    if re.fullmatch(r"\d{4}", text.strip()):
        return (
            f'"{text}" is a calendar year; Scrutineer compares financial-year periods (2019/20, '
            "Q1 2020/21, Jun 2020). Choose a financial-year metric in LG Inform, or one by month or quarter."
        )
    return (
        f'"{text[:40]}" is not a period; LG Inform names them 2019/20, Q1 2020/21 or Jun 2020, '
        "and so does Scrutineer."
    )


def _figure(found: Comparison, line: int, column: str, text: str) -> tuple[Decimal | None, str]:
    cell = text.strip()
    marker = MISSING.get(cell.lower())
    if marker is not None:
        return None, f'"{cell}" in LG Inform: {marker}' if cell else marker
    where = column.strip()[:40]
    if looks_like_formula(cell) and not re.fullmatch(r"-?[0-9][0-9,]*(\.[0-9]+)?", cell):
        found.problem(
            line, where, f'"{cell[:40]}" would run as a formula in a spreadsheet; give the figure itself.'
        )
        return None, ""
    try:
        number = parse_figure(cell)
    except FigureError:
        found.problem(
            line,
            where,
            f'"{cell[:40]}" is not a number; a figure is digits (19,498 or 79.33), and a missing '
            'one is marked "-", ".." or "n/a".',
        )
        return None, ""
    if number.adjusted() >= 14:
        found.problem(line, where, f"{cell[:40]} is too large to keep (14 digits before the point at most).")
        return None, ""
    return number.quantize(PLACES, rounding=ROUND_HALF_UP), ""


# Planning and importing


@dataclass(slots=True)
class BenchmarkPlan:
    indicator: Indicator | None
    area: str
    comparison: Comparison
    problems: list[Problem] = field(default_factory=list)
    rows: list[Benchmark] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> list[tuple[str, int, int, int]]:
        return [(SHEET, self.counts["new"], self.counts["changed"], self.counts["unchanged"])]

    def positions(self) -> list[Position]:
        if self.indicator is None:
            return []
        return _positions(self.indicator, self.rows)


def default_area() -> str:
    """The council's own area when the importer names none: the setting, else the area
    marked as the council by the latest benchmark import."""
    configured = str(getattr(settings, "SCRUTINEER_BENCHMARK_AREA", "") or "").strip()
    if configured:
        return configured
    latest = Benchmark.objects.filter(is_council=True).order_by("-imported_at", "-pk").first()
    return latest.area if latest is not None else ""


def plan_benchmarks(comparison: Comparison, *, indicator: Indicator, area: str, user: Any) -> BenchmarkPlan:
    """Check `comparison` for `indicator` with `area` as the council's row; write nothing."""
    check_may_manage(user, "import benchmarks")
    area = area.strip()
    plan = BenchmarkPlan(indicator, area, comparison, problems=list(comparison.problems))
    plan.notes.extend(comparison.notes)
    codes = {row.code.upper(): row for row in comparison.areas}
    if not area:
        plan.problems.append(
            Problem(SHEET, None, "area", "say which area is the council: its ONS code, e.g. E07000096.")
        )
    elif area.upper() not in codes and comparison.areas:
        plan.problems.append(
            Problem(
                SHEET,
                None,
                "area",
                f"the file has no row for {area}, the council's area: check the code, or download the "
                "comparison with the council in it.",
            )
        )
    if plan.problems:
        return plan
    council = codes[area.upper()].code
    stored = {
        (b.period, b.area.upper()): b
        for b in Benchmark.objects.filter(indicator=indicator, period__in=comparison.periods)
    }
    markers: Counter[str] = Counter()
    for row in comparison.areas:
        for period, (value, note) in zip(comparison.periods, row.figures, strict=True):
            if value is None:
                markers[note] += 1
            benchmark = Benchmark(
                indicator=indicator,
                period=period,
                area=row.code,
                area_label=row.label,
                value=value,
                note=note,
                is_council=row.code == council,
                source=comparison.source,
            )
            plan.rows.append(benchmark)
            before = stored.pop((period, row.code.upper()), None)
            if before is None:
                plan.counts["new"] += 1
            elif (before.value, before.area_label, before.note, before.is_council) == (
                value,
                row.label,
                note,
                row.code == council,
            ):
                plan.counts["unchanged"] += 1
            else:
                plan.counts["changed"] += 1
    plan.counts["removed"] = len(stored)
    if stored:
        plan.notes.append(
            f"{len(stored)} stored area figure{'s' if len(stored) != 1 else ''} for these periods "
            "are not in the file and will be removed: the file replaces each period's comparison."
        )
    for note, count in sorted(markers.items()):
        plan.notes.append(
            f"{count} cell{'s' if count != 1 else ''} with no figure ({note}): kept as missing, not zero."
        )
    reference = sorted({r.label for r in comparison.areas if not compared(r.code, council)})
    if reference:
        plan.notes.append(f"Kept for reference and not ranked: {'; '.join(reference)}.")
    other = sorted({p.frequency.value for p in comparison.periods} - {indicator.frequency})
    if other:
        plan.notes.append(
            f"{indicator.code} is collected {indicator.frequency}; the file's periods are {', '.join(other)}: "
            "they are shown as they are."
        )
    return plan


@transaction.atomic
def import_benchmarks(plan: BenchmarkPlan, *, user: Any, run: ImportRun | None = None) -> dict[str, int]:
    """Write a plan with no problems: each period's comparison replaced by the file's."""
    check_may_manage(user, "import benchmarks")
    if not plan.ok or plan.indicator is None:
        raise ValueError("The file has problems, so nothing was imported: correct them and try again.")
    Benchmark.objects.filter(indicator=plan.indicator, period__in=plan.comparison.periods).delete()
    for benchmark in plan.rows:
        benchmark.run = run
    Benchmark.objects.bulk_create(plan.rows)
    return {
        "new": plan.counts["new"],
        "changed": plan.counts["changed"],
        "unchanged": plan.counts["unchanged"],
        "removed": plan.counts["removed"],
    }


def run_benchmark_import(
    name: str,
    data: bytes,
    *,
    indicator: Indicator,
    area: str,
    user: Any,
    dry_run: bool = False,
    source: str = "web",
) -> tuple[ImportRun, BenchmarkPlan]:
    """Read, check and (unless `dry_run`) import a comparison file, recorded as an `ImportRun`
    with the file's name and SHA-256, who ran it and what it found and wrote."""
    check_may_manage(user, "import benchmarks")
    run = ImportRun.objects.create(
        file_name=name[:255],
        sha256=checksum(data),
        size=len(data),
        dry_run=dry_run,
        requested_by=user,
        source=SOURCE,
        message=f"LG Inform benchmarks for {indicator.code} ({source})",
    )
    try:
        comparison = read_comparison(name, data)
    except FileRefused as error:
        comparison = Comparison(problems=[Problem(SHEET, None, None, str(error))])
    plan = plan_benchmarks(comparison, indicator=indicator, area=area, user=user)
    result: dict[str, Any] = {
        "problems": [
            {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message} for p in plan.problems
        ],
        "summary": [list(row) for row in plan.summary()] if plan.ok else [],
        "notes": plan.notes,
        "indicator": indicator.code,
        "area": plan.area,
        "positions": [
            [
                s.position.period.label,
                s.council,
                s.rank,
                s.position.quartile_words,
                s.median,
                s.position.areas,
            ]
            for s in shown(indicator, plan.positions())
        ],
    }
    if not plan.ok:
        state, message = "refused", f"The file has {len(plan.problems)} problem(s): nothing was imported."
    elif dry_run:
        state, message = "checked", f"Checked: nothing has been imported (benchmarks for {indicator.code})."
    else:
        result["written"] = import_benchmarks(plan, user=user, run=run)
        state, message = "done", f"Imported LG Inform benchmarks for {indicator.code}."
    ImportRun.objects.filter(pk=run.pk).update(
        state=state, result=result, progress=100, message=message, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run, plan


# Reading


def positions(indicator: Indicator, user: Any) -> list[Position]:
    """Where the council sits for each period with benchmarks, newest first; nothing for an
    indicator `user` may not read. One query."""
    rows = Benchmark.objects.filter(
        indicator=indicator, indicator_id__in=visible_indicators(user).values("pk")
    ).only("period", "area", "value", "is_council")
    return _positions(indicator, rows)


def _positions(indicator: Indicator, rows: Iterable[Benchmark]) -> list[Position]:
    by_period: dict[Period, list[Benchmark]] = defaultdict(list)
    for row in rows:
        by_period[row.period].append(row)
    polarity = as_polarity(indicator.polarity)
    found = []
    for period, areas in by_period.items():
        council = next((b for b in areas if b.is_council), None)
        if council is None:
            continue
        others = [b.value for b in areas if not b.is_council and compared(b.area, council.area)]
        found.append(position(period, council.value, others, polarity))
    return sorted(found, key=lambda p: (p.period.end, p.period.frequency.months), reverse=True)
